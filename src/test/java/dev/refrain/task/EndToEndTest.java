package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.Api;
import dev.refrain.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** All four task types, end to end on the preview engine, with real audio in every input format. */
class EndToEndTest {
  static TestServer ts;
  static Api api;
  static String key;
  static HttpServer files;
  static final Map<String, byte[]> served = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
    api = ts.client;
    key = ts.newKey();
    files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    files.createContext("/", ex -> {
      byte[] body = served.get(ex.getRequestURI().getPath());
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    files.start();
  }

  @AfterAll
  static void stop() {
    files.stop(0);
    ts.close();
  }

  static String serve(String name, byte[] bytes) {
    served.put("/" + name, bytes);
    return "http://127.0.0.1:" + files.getAddress().getPort() + "/" + name;
  }

  static JsonNode run(String body) {
    Reply r = api.post("/api/v1/task", key, body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    assertThat(r.data().path("status").asText()).isEqualTo("pending");
    return api.await(r.data().path("task_id").asText(), key, Duration.ofSeconds(60));
  }

  static List<String> logs(JsonNode task) {
    List<String> logs = new ArrayList<>();
    task.path("logs").forEach(l -> logs.add(l.asText()));
    return logs;
  }

  static AudioClip download(JsonNode task) throws Exception {
    assertThat(task.path("status").asText()).as("%s", task).isEqualTo("completed");
    String url = task.path("output").path("audio_url").asText();
    assertThat(url).startsWith(ts.server.baseUrl() + "/files/outputs/");
    HttpResponse<byte[]> r = api.download(url, Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(r.body().length);
    return AudioDecoder.decode(r.body(), 600);
  }

  @Test
  void txt2audioProducesAPlayableMp3OfTheRequestedLengthWithRangeSupport() throws Exception {
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"upbeat pop, piano\","
        + "\"lyrics\":\"[verse]\\nla la la\\n[chorus]\\noh oh oh\",\"duration\":12,\"seed\":7}}");
    AudioClip clip = download(t);
    assertThat(clip.seconds()).isCloseTo(12.0, within(0.03));
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(12.0, within(0.001));
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(60_000);
    assertThat(t.path("meta").path("usage").path("frozen").asLong()).isZero();
    assertThat(t.path("meta").path("started_at").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
    assertThat(t.path("meta").path("ended_at").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
    assertThat(Json.write(t.path("logs"))).contains("preview");
    assertThat(rms(clip)).isGreaterThan(0.01);

    String url = t.path("output").path("audio_url").asText();
    HttpResponse<byte[]> whole = api.download(url, Map.of());
    assertThat(whole.headers().firstValue("Content-Type").orElse("")).isEqualTo("audio/mpeg");
    HttpResponse<byte[]> part = api.download(url, Map.of("Range", "bytes=100-199"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).hasSize(100);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 200));
    assertThat(part.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes 100-199/" + whole.body().length);
  }

  static double rms(AudioClip clip) {
    double sum = 0;
    for (float[] ch : clip.channels()) for (float v : ch) sum += v * v;
    return Math.sqrt(sum / ((double) clip.frames() * clip.channelCount()));
  }

  @Test
  void theSameSeedGivesTheSameAudio() throws Exception {
    String body = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"rock\",\"duration\":10,"
        + "\"seed\":99,\"output_format\":\"wav\"}}";
    byte[] a = api.download(run(body).path("output").path("audio_url").asText(), Map.of()).body();
    byte[] b = api.download(run(body).path("output").path("audio_url").asText(), Map.of()).body();
    assertThat(a).isEqualTo(b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mp3", "wav", "flac", "ogg", "opus", "m4a"})
  void editAcceptsEveryInputFormatAndKeepsItsLength(String format) throws Exception {
    AudioClip source = TestAudio.tone(11.0, format.equals("opus") ? 48000 : 44100, 2, 330);
    byte[] encoded = TestAudio.encoded(format, source);
    double expected = AudioDecoder.decode(encoded, 600).seconds();
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\""
        + Base64.getEncoder().encodeToString(encoded) + "\",\"style_prompt\":\"guitar and piano\",\"lyrics\":\"[inst]\","
        + "\"edit_style_prompt\":\"guitar and piano, pop\",\"edit_lyrics\":\"[inst]\"}}");
    AudioClip out = download(t);
    assertThat(out.seconds()).isCloseTo(expected, within(0.06));
    assertThat(t.path("input").path("audio").asText()).startsWith(ts.server.baseUrl() + "/files/inputs/");
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(Math.round(t.path("output").path("duration").asDouble() * 5000));
  }

  @Test
  void audio2audioFetchesItsReferenceOverHttp() throws Exception {
    AudioClip source = TestAudio.tone(10.5, 44100, 2, 220);
    String url = serve("ref.ogg", TestAudio.encoded("ogg", source));
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"" + url
        + "\",\"style_prompt\":\"ambient synth\"}}");
    assertThat(download(t).seconds()).isCloseTo(10.5, within(0.06));
    assertThat(t.path("input").path("style_audio").asText()).isEqualTo(url);
  }

  @Test
  void extendAddsBothSidesAndKeepsTheOriginalSamplesExactly() throws Exception {
    AudioClip source = TestAudio.tone(10.0, 44100, 2, 440);
    byte[] wav = TestAudio.encoded("wav", source);
    String upload = api.post("/api/ephemeral_resource", key,
        Map.of("file_name", "take.wav", "file_data", Base64.getEncoder().encodeToString(wav))).data().path("url").asText();
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + upload
        + "\",\"left_extend_duration\":2,\"right_extend_duration\":3.5,\"style_prompt\":\"piano\",\"output_format\":\"wav\"}}");
    AudioClip out = download(t);
    AudioClip in = AudioDecoder.decode(wav, 600);
    int left = (int) Math.round(2 * 44100);
    assertThat(out.frames()).isEqualTo(left + in.frames() + (int) Math.round(3.5 * 44100));
    for (int ch = 0; ch < 2; ch++) {
      float[] mid = java.util.Arrays.copyOfRange(out.channels()[ch], left, left + in.frames());
      assertThat(mid).as("channel %d", ch).isEqualTo(in.channels()[ch]);
    }
    // Only the added 5.5 s are billed.
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(27_500);
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(15.5, within(0.001));
  }

  @Test
  void fieldsTheEngineDoesNotUseAreNamedInTheLogsWithWhy() {
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"jazz\","
        + "\"duration\":10,\"infer_step\":30,\"guidance_scale\":4}}");
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(logs(t)).contains("input.infer_step is not used by engine preview: it has no diffusion steps",
        "input.guidance_scale is not used by engine preview: it follows the style prompt by rule, not by guidance");
  }

  @Test
  void txt2audioTakesTempoAndKeyFromItsStyleAudioAndKeepsItsDuration() throws Exception {
    JsonNode first = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":"
        + "\"funk rock with drums, 104 bpm, in E major\",\"duration\":30,\"seed\":21,\"output_format\":\"wav\"}}");
    Analysis ref = Analysis.of(download(first));
    // The first task's output is the second's reference, read back from this server's own storage.
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":"
        + "\"house music with piano\",\"duration\":20,\"seed\":4,\"output_format\":\"wav\",\"style_audio\":\""
        + first.path("output").path("audio_url").asText() + "\"}}");
    AudioClip out = download(t);
    assertThat(out.seconds()).isCloseTo(20.0, within(0.001));
    Analysis a = Analysis.of(out);
    assertThat(a.bpm()).isCloseTo(ref.bpm(), within(1.5));
    assertThat(logs(t)).anyMatch(l -> l.startsWith("reference audio: 30.000 s, 44100 Hz, 2 channel(s)"))
        .anyMatch(l -> l.startsWith(String.format(Locale.ROOT, "reference: %.0f BPM, ", ref.bpm())))
        .noneMatch(l -> l.contains("style_audio is not used"));
    // Billed for the 20 s made, not for the reference.
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(100_000);
  }

  @Test
  void flacOutputOnRequest() throws Exception {
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"jazz\",\"duration\":10,"
        + "\"output_format\":\"flac\"}}");
    assertThat(t.path("output").path("audio_url").asText()).endsWith(".flac");
    assertThat(api.download(t.path("output").path("audio_url").asText(), Map.of()).headers().firstValue("Content-Type").orElse(""))
        .isEqualTo("audio/flac");
    assertThat(download(t).seconds()).isCloseTo(10.0, within(0.001));
  }

  @Test
  void anUnreachableUrlFailsTheTaskClearlyAndTheServerStaysHealthy() {
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\"https://no-such-host.invalid/seed.mp3\","
        + "\"style_prompt\":\"guitar and piano\",\"lyrics\":\"[inst]\",\"edit_style_prompt\":\"guitar and piano, pop\",\"edit_lyrics\":\"[inst]\"}}");
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).startsWith("failed to get input audio: ").contains("no-such-host.invalid");
    assertThat(t.path("output").isNull()).isTrue();
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isZero();
    assertThat(t.path("meta").path("usage").path("frozen").asLong()).isZero();
    assertThat(api.get("/healthz", null).status()).isEqualTo(200);
  }

  @Test
  void undecodableBytesFailTheTask() {
    String b64 = Base64.getEncoder().encodeToString("<html>not audio</html>".getBytes());
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"" + b64
        + "\",\"style_prompt\":\"x\"}}");
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).startsWith("failed to get input audio: ");
    String missing = serve("gone.mp3", new byte[0]);
    served.remove("/gone.mp3");
    JsonNode t404 = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"" + missing
        + "\",\"style_prompt\":\"x\"}}");
    assertThat(t404.path("error").path("message").asText()).isEqualTo("failed to get input audio: HTTP 404 from 127.0.0.1:" + files.getAddress().getPort());
    // A txt2audio's reference the same way.
    JsonNode ref = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"style_audio\":\""
        + b64 + "\"}}");
    assertThat(ref.path("status").asText()).isEqualTo("failed");
    assertThat(ref.path("error").path("message").asText()).startsWith("failed to get input audio: ");
    JsonNode ref404 = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"style_audio\":\""
        + missing + "\"}}");
    assertThat(ref404.path("error").path("message").asText()).isEqualTo("failed to get input audio: HTTP 404 from 127.0.0.1:" + files.getAddress().getPort());
    assertThat(ref404.path("meta").path("usage").path("consume").asLong()).isZero();
  }

  @Test
  void extendBeyondTheCeilingFailsWithAClearMessage() throws Exception {
    byte[] wav = TestAudio.encoded("wav", TestAudio.tone(200.0, 8000, 1, 440));
    JsonNode t = run("{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + Base64.getEncoder().encodeToString(wav)
        + "\",\"right_extend_duration\":60,\"style_prompt\":\"piano\"}}");
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).contains("over the 240 s limit");
  }

  @Test
  void loopbackUrlsAreRefusedUnlessTheOperatorAllowsThem() throws Exception {
    try (TestServer strict = TestServer.start(Map.of("REFRAIN_FETCH_ALLOW_PRIVATE", "false"))) {
      String k = strict.newKey();
      String url = serve("private.wav", TestAudio.encoded("wav", TestAudio.tone(10, 8000, 1, 440)));
      Reply r = strict.client.post("/api/v1/task", k, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\""
          + url + "\",\"style_prompt\":\"x\"}}");
      JsonNode t = strict.client.await(r.data().path("task_id").asText(), k, Duration.ofSeconds(30));
      assertThat(t.path("status").asText()).isEqualTo("failed");
      assertThat(t.path("error").path("message").asText()).startsWith("failed to get input audio: refused").contains("loopback");
    }
  }
}
