package dev.refrain.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The `piapi` engine against a second Refrain instance acting as the upstream. */
// Runs once, in the default execution: a PiAPI backend is reached over HTTP, the same whatever store the server has.
@RunsOnce
class PiapiBackendTest {
  TestServer upstream;
  TestServer front;

  void start(String upstreamEngine) throws Exception {
    upstream = TestServer.start(Map.of("REFRAIN_ENGINE", upstreamEngine));
    String upstreamKey = upstream.newKey();
    front = TestServer.start(Map.of(
        "REFRAIN_BACKEND_UP_KIND", "piapi",
        "REFRAIN_BACKEND_UP_URL", upstream.client.base,
        "REFRAIN_BACKEND_UP_API_KEY", upstreamKey,
        "REFRAIN_BACKEND_UP_SLOTS", "2",
        "REFRAIN_BACKEND_POLL_INTERVAL", "50ms"));
  }

  @AfterEach
  void stop() {
    GateEngine.open();
    if (front != null) front.close();
    if (upstream != null) upstream.close();
  }

  @Test
  void aTaskRunsUpstreamAndItsAudioIsReHostedHere() throws Exception {
    start("preview");
    String key = front.newKey();
    Reply r = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
        + "\"input\":{\"style_prompt\":\"jazz piano\",\"duration\":10,\"seed\":5}}");
    JsonNode t = front.client.await(r.data().path("task_id").asText(), key, Duration.ofSeconds(60));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    String url = t.path("output").path("audio_url").asText();
    assertThat(url).startsWith(front.server.baseUrl() + "/files/outputs/");
    byte[] mp3 = front.client.download(url, Map.of()).body();
    assertThat(AudioDecoder.decode(mp3, 600).seconds()).isCloseTo(10.0, within(0.03));
    assertThat(t.path("logs").toString()).contains("backend up (piapi)").contains("piapi upstream task");
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(50_000);
  }

  @Test
  void audioInputsArePassedByUrlAndTheUpstreamFetchesThem() throws Exception {
    start("preview");
    String key = front.newKey();
    byte[] wav = TestAudio.encoded("wav", TestAudio.tone(10.0, 44100, 2, 330));
    Reply r = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\""
        + Base64.getEncoder().encodeToString(wav) + "\",\"right_extend_duration\":5,\"style_prompt\":\"piano\",\"output_format\":\"wav\"}}");
    JsonNode t = front.client.await(r.data().path("task_id").asText(), key, Duration.ofSeconds(60));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(15.0, within(0.01));
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(25_000);
  }

  @Test
  void editAndAudio2audioAreForwardedWithTheirFields() throws Exception {
    start("preview");
    String key = front.newKey();
    String wav = Base64.getEncoder().encodeToString(TestAudio.encoded("wav", TestAudio.tone(10.0, 44100, 2, 330)));
    Reply e = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\""
        + wav + "\",\"style_prompt\":\"guitar\",\"edit_style_prompt\":\"guitar, pop\",\"edit_lyrics\":\"[verse]\\nhey\",\"edit_strength\":0.7}}");
    JsonNode te = front.client.await(e.data().path("task_id").asText(), key, Duration.ofSeconds(60));
    assertThat(te.path("status").asText()).as("%s", te).isEqualTo("completed");
    Reply a = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\""
        + wav + "\",\"style_prompt\":\"lofi\"}}");
    JsonNode ta = front.client.await(a.data().path("task_id").asText(), key, Duration.ofSeconds(60));
    assertThat(ta.path("status").asText()).as("%s", ta).isEqualTo("completed");
    var rows = upstream.server.database().read(c -> new dev.refrain.store.TaskStore().history(c,
        upstream.server.database().read(c2 -> new dev.refrain.store.KeyStore().list(c2)).get(0).id(), new dev.refrain.store.TaskStore.HistoryFilter(null, null, null, 0, 0), 10, 0));
    JsonNode edit = dev.refrain.core.Json.parse(rows.stream().filter(r -> r.taskType().equals("edit")).findFirst().orElseThrow().inputJson());
    assertThat(edit.path("edit_style_prompt").asText()).isEqualTo("guitar, pop");
    assertThat(edit.path("edit_lyrics").asText()).isEqualTo("[verse]\nhey");
    assertThat(edit.path("edit_strength").asDouble()).isEqualTo(0.7);
    assertThat(edit.path("audio").asText()).isEqualTo(te.path("input").path("audio").asText());
    JsonNode a2a = dev.refrain.core.Json.parse(rows.stream().filter(r -> r.taskType().equals("audio2audio")).findFirst().orElseThrow().inputJson());
    assertThat(a2a.path("style_audio").asText()).startsWith(front.server.baseUrl() + "/files/inputs/");
  }

  @Test
  void aTxt2audioReferenceIsPassedUpstreamAsItsStyleAudio() throws Exception {
    start("preview");
    String key = front.newKey();
    String wav = Base64.getEncoder().encodeToString(TestAudio.encoded("wav", TestAudio.tone(10.0, 44100, 2, 330)));
    Reply r = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{"
        + "\"style_prompt\":\"jazz piano\",\"duration\":10,\"style_audio\":\"" + wav + "\"}}");
    JsonNode t = front.client.await(r.data().path("task_id").asText(), key, Duration.ofSeconds(60));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("logs").toString()).contains("reference audio: 10.000 s").doesNotContain("not used");
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(10.0, within(0.01));
    var rows = upstream.server.database().read(c -> new dev.refrain.store.TaskStore().history(c,
        upstream.server.database().read(c2 -> new dev.refrain.store.KeyStore().list(c2)).get(0).id(), new dev.refrain.store.TaskStore.HistoryFilter(null, null, null, 0, 0), 10, 0));
    var upstreamTask = rows.stream().filter(row -> row.taskType().equals("txt2audio")).findFirst().orElseThrow();
    JsonNode sent = dev.refrain.core.Json.parse(upstreamTask.inputJson());
    assertThat(sent.path("style_audio").asText()).isEqualTo(t.path("input").path("style_audio").asText())
        .startsWith(front.server.baseUrl() + "/files/inputs/");
    // The upstream fetched it and composed from it.
    assertThat(upstreamTask.logsJson()).contains("reference audio: 10.000 s", "reference: ");
  }

  @Test
  void anInputTheUpstreamCannotUseFailsWithItsReason() throws Exception {
    start("preview");
    String key = front.newKey();
    String notAudio = Base64.getEncoder().encodeToString("<html>nope</html>".getBytes());
    // The front decodes its input first: undecodable bytes never reach the upstream.
    Reply r = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\""
        + notAudio + "\",\"style_prompt\":\"a\",\"edit_style_prompt\":\"b\"}}");
    JsonNode t = front.client.await(r.data().path("task_id").asText(), key, Duration.ofSeconds(30));
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).startsWith("failed to get input audio");
  }

  @Test
  void cancellingHereCancelsTheUpstreamTask() throws Exception {
    GateEngine.close();
    start("gate");
    String key = front.newKey();
    Reply r = front.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
        + "\"input\":{\"style_prompt\":\"x\",\"duration\":10}}");
    String id = r.data().path("task_id").asText();
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String upstreamId = null;
    while (upstreamId == null) {
      assertThat(System.nanoTime()).as("upstream task started").isLessThan(end);
      String logs = front.client.get("/api/v1/task/" + id, key).data().path("logs").toString();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("piapi upstream task ([0-9a-f-]{36})").matcher(logs);
      if (m.find()) upstreamId = m.group(1);
      else Thread.sleep(20);
    }
    assertThat(front.client.delete("/api/v1/task/" + id, key).status()).isEqualTo(200);
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode up;
    do {
      Thread.sleep(50);
      up = upstream.server.database().read(c -> new dev.refrain.store.TaskStore().get(c, upstreamIdOf(c, id)))
          .map(row -> dev.refrain.core.Json.parse("{\"status\":\"" + row.status() + "\",\"message\":\"" + row.errorMessage() + "\"}"))
          .orElse(null);
    } while ((up == null || !up.path("status").asText().equals("failed")) && System.nanoTime() < until);
    assertThat(up).isNotNull();
    assertThat(up.path("status").asText()).isEqualTo("failed");
    assertThat(up.path("message").asText()).contains("canceled");
  }

  /** The upstream's id for our task, read from our task's logs. */
  private String upstreamIdOf(java.sql.Connection c, String ourId) throws java.sql.SQLException {
    String logs = front.server.database().read(fc -> new dev.refrain.store.TaskStore().get(fc, ourId)).orElseThrow().logsJson();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("piapi upstream task ([0-9a-f-]{36})").matcher(logs);
    return m.find() ? m.group(1) : "";
  }
}
