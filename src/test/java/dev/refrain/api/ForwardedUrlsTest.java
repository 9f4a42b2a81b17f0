package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.Api;
import dev.refrain.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every absolute URL a request is handed follows what a trusted proxy forwarded (the tests' own
 * loopback address is the trusted proxy here), and the same headers from an untrusted peer change
 * nothing.
 */
class ForwardedUrlsTest {
  private static final String PROXIED = "https://music.example.com/refrain";
  private static final Map<String, String> VIA_PROXY = Map.of("X-Forwarded-Proto", "https",
      "X-Forwarded-Host", "music.example.com", "X-Forwarded-Prefix", "/refrain", "X-Forwarded-For", "203.0.113.7");
  private static final Map<String, String> VIA_RFC7239 = Map.of("Forwarded",
      "for=203.0.113.7;proto=https;host=music.example.com", "X-Forwarded-Prefix", "/refrain");

  private static TestServer behindProxy;
  private static TestServer direct;
  private static HttpServer receiver;
  private static final BlockingQueue<JsonNode> webhooks = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    behindProxy = TestServer.start(Map.of("REFRAIN_TRUSTED_PROXIES", "127.0.0.1,::1"));
    direct = TestServer.start();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      webhooks.add(Json.parse(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    if (receiver != null) receiver.stop(0);
    if (behindProxy != null) behindProxy.close();
    if (direct != null) direct.close();
  }

  private static String create(TestServer ts, String key, Map<String, String> headers, Object body) {
    Api.Reply r = ts.client.send("POST", "/api/v1/task", key, Json.write(body), headers);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  private static JsonNode await(TestServer ts, String key, String id, Map<String, String> headers) {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode t = ts.client.send("GET", "/api/v1/task/" + id, key, null, headers).data();
      String status = t.path("status").asText();
      if (status.equals("completed") || status.equals("failed")) return t;
      assertThat(System.nanoTime()).as("task %s still %s", id, status).isLessThan(end);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void anOutputsUrlIsUnderTheBaseOfWhoeverReadsIt() {
    String key = behindProxy.newKey();
    String id = create(behindProxy, key, VIA_PROXY, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10)));
    JsonNode viaProxy = await(behindProxy, key, id, VIA_PROXY);
    assertThat(viaProxy.path("status").asText()).isEqualTo("completed");
    String proxied = viaProxy.path("output").path("audio_url").asText();
    assertThat(proxied).startsWith(PROXIED + "/files/outputs/");

    // The same task read straight from the node, and by the RFC 7239 header: each under its own base.
    String own = behindProxy.client.get("/api/v1/task/" + id, key).data().path("output").path("audio_url").asText();
    assertThat(own).isEqualTo(behindProxy.server.baseUrl() + proxied.substring(PROXIED.length()));
    assertThat(behindProxy.client.download(own, Map.of()).statusCode()).isEqualTo(200);
    JsonNode rfc = behindProxy.client.send("GET", "/api/v1/task/" + id, key, null, VIA_RFC7239).data();
    assertThat(rfc.path("output").path("audio_url").asText()).isEqualTo(proxied);
    // The list, and a second read of the (cached) finished task by the proxy, agree.
    JsonNode list = behindProxy.client.send("GET", "/api/open/tasks/histories?page_size=5", key, null, VIA_PROXY).data();
    assertThat(list.toString()).contains(proxied).doesNotContain(own);
    assertThat(behindProxy.client.send("GET", "/api/v1/task/" + id, key, null, VIA_PROXY).data()
        .path("output").path("audio_url").asText()).isEqualTo(proxied);
  }

  @Test
  void uploadsAndInlineAudioAreUnderTheProxysBaseAndStillReadAsOurOwn() throws Exception {
    String key = behindProxy.newKey();
    byte[] wav = TestAudio.encoded("wav", TestAudio.tone(3.0, 44100, 1, 330));
    String upload = uploaded(behindProxy, key, wav, VIA_PROXY);
    assertThat(upload).startsWith(PROXIED + "/files/uploads/");
    // music.example.com does not resolve here: the task completes only if the URL is known as our own file.
    String id = create(behindProxy, key, VIA_PROXY, Map.of("model", "Qubico/ace-step", "task_type", "audio2audio",
        "input", Map.of("style_audio", upload, "style_prompt", "jazz")));
    JsonNode done = await(behindProxy, key, id, VIA_PROXY);
    assertThat(done.path("status").asText()).as(done.path("error").toString()).isEqualTo("completed");

    String inline = create(behindProxy, key, VIA_RFC7239, Map.of("model", "Qubico/ace-step", "task_type", "extend",
        "input", Map.of("audio", Base64.getEncoder().encodeToString(wav), "style_prompt", "piano", "right_extend_duration", 5)));
    JsonNode extended = await(behindProxy, key, inline, VIA_RFC7239);
    assertThat(extended.path("input").path("audio").asText()).startsWith(PROXIED + "/files/inputs/" + inline + "/");
    assertThat(extended.path("status").asText()).as(extended.path("error").toString()).isEqualTo("completed");
  }

  @Test
  void aWebhookCarriesTheBaseTheTaskWasCreatedBy() throws Exception {
    String key = behindProxy.newKey();
    String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    String id = create(behindProxy, key, VIA_PROXY, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "drums", "duration", 10), "config", Map.of("webhook_config", Map.of("endpoint", endpoint))));
    JsonNode completed = null;
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (completed == null && System.nanoTime() < end) {
      JsonNode event = webhooks.poll(1, TimeUnit.SECONDS);
      if (event != null && event.path("data").path("task_id").asText().equals(id)
          && event.path("data").path("status").asText().equals("completed")) {
        completed = event;
      }
    }
    assertThat(completed).as("the completed event").isNotNull();
    assertThat(completed.path("data").path("output").path("audio_url").asText()).startsWith(PROXIED + "/files/outputs/");
  }

  @Test
  void theWorkspacePageIsToldItsBase() {
    HttpResponse<byte[]> page = behindProxy.client.download(behindProxy.client.base + "/", VIA_PROXY);
    assertThat(new String(page.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("<meta name=\"refrain-base\" content=\"" + PROXIED + "\" />");
  }

  @Test
  void theSameHeadersFromAnUntrustedPeerChangeNothing() throws Exception {
    String key = direct.newKey();
    String id = create(direct, key, VIA_PROXY, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10)));
    JsonNode done = await(direct, key, id, VIA_RFC7239);
    assertThat(done.path("output").path("audio_url").asText()).startsWith(direct.server.baseUrl() + "/files/outputs/");
    assertThat(uploaded(direct, key, TestAudio.encoded("wav", TestAudio.tone(1.0, 44100, 1, 330)), VIA_PROXY))
        .startsWith(direct.server.baseUrl() + "/files/uploads/");
    String page = new String(direct.client.download(direct.client.base + "/", VIA_PROXY).body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(page).contains("<meta name=\"refrain-base\" content=\"" + direct.server.baseUrl() + "\" />");
  }

  private static String uploaded(TestServer ts, String key, byte[] audio, Map<String, String> headers) {
    Api.Reply r = ts.client.send("POST", "/api/ephemeral_resource", key, Json.write(Map.of("file_name", "take.wav",
        "file_data", Base64.getEncoder().encodeToString(audio))), headers);
    assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
    return r.data().path("url").asText();
  }
}
