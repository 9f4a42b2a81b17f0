package dev.refrain.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.ReverseProxy;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import dev.refrain.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client written for PiAPI ({@link PiapiStyleClient}), given only a base URL and a key, runs every
 * task type against Refrain where such a client would meet it: over Refrain's own HTTPS (its local
 * CA trusted by the client), and behind a TLS-terminating reverse proxy on loopback that forwards
 * the client's scheme, host and path prefix (X-Forwarded-* or RFC 7239's Forwarded). Each time it
 * must get an https audio URL that downloads as real audio of the expected length, the credits it
 * was charged, and for a failed task the reason.
 */
// Runs once, in the default execution: the client speaks HTTP to the server, the same whatever store it has.
@RunsOnce
class PiapiClientsTest {
  private static TestServer overHttps;
  private static TestServer behindProxies;
  private static ReverseProxy xForwarded;
  private static ReverseProxy rfc7239;
  private static SSLContext trustRefrain;
  private static SSLContext trustProxy;
  private static byte[] take;

  /** Where a client meets Refrain: its base URL, the trust it needs, and a key valid there. */
  record Setup(String name, String base, SSLContext trust, String key) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    take = TestAudio.encoded("wav", TestAudio.tone(6.0, 44100, 2, 220));
    Path dir = Files.createTempDirectory("refrain-compat-");
    overHttps = TestServer.start(dir, Map.of("REFRAIN_TLS_LOCAL", "true"));
    trustRefrain = TestPki.trusting(TestPki.readCert(dir.resolve("tls").resolve("ca.pem")));

    behindProxies = TestServer.start(Map.of("REFRAIN_TRUSTED_PROXIES", "127.0.0.1"));
    TestPki.Issued root = TestPki.root("proxy CA");
    TestPki.Issued proxyCert = TestPki.server(root, TestPki.ec());
    SSLContext serving = TestPki.serving(proxyCert);
    xForwarded = ReverseProxy.start(behindProxies.client.base, "/piapi", ReverseProxy.Forwarding.X_FORWARDED, serving);
    rfc7239 = ReverseProxy.start(behindProxies.client.base, "", ReverseProxy.Forwarding.RFC7239, serving);
    trustProxy = TestPki.trusting(root.cert());
  }

  @AfterAll
  static void stop() {
    if (xForwarded != null) xForwarded.close();
    if (rfc7239 != null) rfc7239.close();
    if (overHttps != null) overHttps.close();
    if (behindProxies != null) behindProxies.close();
  }

  static List<Setup> setups() {
    return List.of(
        new Setup("Refrain's own HTTPS (local CA)", overHttps.server.baseUrl(), trustRefrain, overHttps.newKey()),
        new Setup("TLS proxy with X-Forwarded-*, under /piapi", xForwarded.url("localhost"), trustProxy, behindProxies.newKey()),
        new Setup("TLS proxy with Forwarded (RFC 7239), at 127.0.0.1", rfc7239.url(), trustProxy, behindProxies.newKey()));
  }

  /** Each task type with the input a PiAPI user would send; audio inputs are an upload's URL made by that route. */
  static Stream<Arguments> tasks() {
    Map<String, Function<String, Map<String, Object>>> inputs = Map.of(
        "txt2audio", audio -> Map.of("style_prompt", "calm piano, 90 bpm", "lyrics", "[inst]", "duration", 10),
        "txt2audio with a reference", audio -> Map.of("style_prompt", "calm piano", "duration", 10, "style_audio", audio),
        "audio2audio", audio -> Map.of("style_audio", audio, "style_prompt", "jazz trio", "negative_prompt", "distortion"),
        "edit", audio -> Map.of("audio", audio, "style_prompt", "sine tone", "edit_style_prompt", "warm organ"),
        "extend", audio -> Map.of("audio", audio, "style_prompt", "sine tone", "left_extend_duration", 2, "right_extend_duration", 3));
    Map<String, Double> seconds = Map.of("txt2audio", 10.0, "txt2audio with a reference", 10.0, "audio2audio", 6.0, "edit", 6.0,
        "extend", 11.0);
    return setups().stream().flatMap(s -> inputs.keySet().stream().sorted()
        .map(name -> Arguments.of(s, name, inputs.get(name), seconds.get(name))));
  }

  @ParameterizedTest(name = "{1} via {0}")
  @MethodSource("tasks")
  void everyTaskTypeCompletesWithPlayableHttpsAudio(Setup s, String name, Function<String, Map<String, Object>> input,
      double seconds) throws Exception {
    PiapiStyleClient client = new PiapiStyleClient(s.base, s.key, s.trust);
    String upload = upload(s);
    assertThat(upload).startsWith(s.base + "/files/uploads/");
    String type = name.split(" ")[0];
    JsonNode body = Json.MAPPER.valueToTree(Map.of("model", "Qubico/ace-step", "task_type", type, "input", input.apply(upload)));
    PiapiStyleClient.Result r = client.run(body, Duration.ofSeconds(90));

    assertThat(r.status()).as(r.errorMessage()).isEqualTo("completed");
    assertThat(r.audioUrl()).startsWith(s.base + "/files/outputs/");
    AudioClip audio = AudioDecoder.decode(r.audio(), 600);
    assertThat(audio.seconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.1));
    assertThat(r.consume()).as("meta.usage.consume").isPositive();
    assertThat(r.errorMessage()).isEmpty();
  }

  @ParameterizedTest(name = "via {0}")
  @MethodSource("setups")
  void aFailedTaskSaysWhy(Setup s) throws Exception {
    PiapiStyleClient client = new PiapiStyleClient(s.base, s.key, s.trust);
    JsonNode body = Json.MAPPER.valueToTree(Map.of("model", "Qubico/ace-step", "task_type", "audio2audio",
        "input", Map.of("style_audio", s.base + "/files/uploads/gone/take.wav", "style_prompt", "jazz")));
    PiapiStyleClient.Result r = client.run(body, Duration.ofSeconds(60));
    assertThat(r.status()).isEqualTo("failed");
    assertThat(r.errorMessage()).contains("does not exist or has expired");
    assertThat(r.audioUrl()).isNull();
  }

  /** The client is as strict as the real ones: from plain HTTP it gets its task done but no audio it will use. */
  @Test
  void overPlainHttpTheClientRefusesTheMedia() {
    PiapiStyleClient client = new PiapiStyleClient(behindProxies.client.base, behindProxies.newKey(), null);
    JsonNode body = Json.MAPPER.valueToTree(Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10)));
    assertThatThrownBy(() -> client.run(body, Duration.ofSeconds(60)))
        .isInstanceOf(PiapiStyleClient.Refused.class)
        .hasMessageContaining("refusing a media URL that is not https: 'http://localhost:" + behindProxies.server.port() + "/files/outputs/");
  }

  /** POST /api/ephemeral_resource through the same route, as a user uploads before referring to the file. */
  private static String upload(Setup s) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(s.trust).build();
    String json = Json.write(Map.of("file_name", "take.wav", "file_data", Base64.getEncoder().encodeToString(take)));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.base + "/api/ephemeral_resource"))
        .header("X-API-Key", s.key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parse(r.body()).path("data").path("url").asText();
  }
}
