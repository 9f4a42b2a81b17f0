package dev.refrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.Crafted;
import dev.refrain.testing.Api;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every crafted file, sent inline and uploaded, against a real server process: each costs at most
 * its own task, which ends cleanly, and the process goes on serving.
 */
// Runs once, in the default execution: decoding does not depend on the store.
@RunsOnce
class HostileAudioTest {
  /** What some files must come to; the rest may complete or fail, as long as they end. */
  private static final Map<String, String> EXPECTED = Map.of(
      "wav-10-channels", "completed",
      "wav-64-channels", "completed",
      "wav-65-channels", "failed to get input audio: 65 channels are more than the 64 supported",
      "wav-1-hz", "failed to get input audio: a sample rate of 1 Hz is not supported (8000 to 384000 Hz)",
      "wav-655350-hz", "failed to get input audio: a sample rate of 655350 Hz is not supported (8000 to 384000 Hz)",
      "flac-655350-hz", "failed to get input audio: a sample rate of 655350 Hz is not supported (8000 to 384000 Hz)",
      "wav-58-bit-samples", "failed to get input audio: 64-bit integer samples are not supported");

  @Test
  void eachHostileFileCostsAtMostItsOwnTask() throws Exception {
    Path dir = Files.createTempDirectory("refrain-hostile-");
    int port = ServerProcess.freePort();
    String key = ServerProcess.issueKey(dir, "attacker", 1_000_000_000L).secret();
    Api api = new Api("http://127.0.0.1:" + port);
    Process server = ServerProcess.launch(dir, port, "server.log", Map.of("REFRAIN_MAX_PENDING_PER_KEY", "1000"));
    try {
      ServerProcess.awaitHealthy(api, server);
      Map<String, String> tasks = new LinkedHashMap<>();
      for (var file : Crafted.hostile().entrySet()) {
        String b64 = Base64.getEncoder().encodeToString(file.getValue());
        Api.Reply inline = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\""
            + b64 + "\",\"right_extend_duration\":1,\"style_prompt\":\"piano\",\"output_format\":\"wav\"}}");
        assertThat(inline.status()).as("inline %s: %s", file.getKey(), inline.body()).isEqualTo(200);
        tasks.put(inline.data().path("task_id").asText(), file.getKey() + " inline");

        Api.Reply upload = api.post("/api/ephemeral_resource", key, Map.of("file_name", "x.wav", "file_data", b64));
        assertThat(upload.status()).as("upload %s: %s", file.getKey(), upload.body()).isIn(200, 400);
        if (upload.status() == 200) {
          Api.Reply a2a = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{"
              + "\"style_audio\":\"" + upload.data().path("url").asText() + "\",\"style_prompt\":\"piano\",\"output_format\":\"wav\"}}");
          assertThat(a2a.status()).as("audio2audio %s: %s", file.getKey(), a2a.body()).isEqualTo(200);
          tasks.put(a2a.data().path("task_id").asText(), file.getKey() + " uploaded");
        } else {
          assertThat(upload.message()).as("upload refusal of %s", file.getKey()).isNotBlank();
        }
      }

      for (var t : tasks.entrySet()) {
        JsonNode done = api.await(t.getKey(), key, Duration.ofSeconds(90));
        String status = done.path("status").asText();
        String name = t.getValue().substring(0, t.getValue().indexOf(' '));
        assertThat(status).as("%s: %s", t.getValue(), done).isIn("completed", "failed");
        if (status.equals("failed")) {
          assertThat(done.path("error").path("message").asText()).as(t.getValue()).startsWith("failed to get input audio: ");
        }
        String expected = EXPECTED.get(name);
        if (expected != null) {
          assertThat(status.equals("completed") ? status : done.path("error").path("message").asText()).as(t.getValue()).isEqualTo(expected);
        }
      }
      assertThat(server.isAlive()).isTrue();
      assertThat(api.get("/healthz", null).status()).isEqualTo(200);
      JsonNode plain = api.await(api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}").data().path("task_id").asText(), key, Duration.ofSeconds(60));
      assertThat(plain.path("status").asText()).isEqualTo("completed");
    } finally {
      server.destroy();
      server.waitFor();
    }
    assertThat(Files.readString(dir.resolve("server.log"))).doesNotContain("Exception", "fatal error");
  }
}
