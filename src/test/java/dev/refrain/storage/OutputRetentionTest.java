package dev.refrain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With REFRAIN_OUTPUT_TTL set, outputs disappear once older than it, on whichever storage the suite runs. */
class OutputRetentionTest {
  @Test
  void outputsOlderThanTheTtlAreSweptAndTheirUrlAnswers404() throws Exception {
    try (TestServer ts = TestServer.start(Map.of("REFRAIN_OUTPUT_TTL", "4s"))) {
      String key = ts.newKey();
      String id = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"pop\",\"duration\":10}}").data().path("task_id").asText();
      JsonNode t = ts.client.await(id, key, Duration.ofSeconds(60));
      String url = t.path("output").path("audio_url").asText();
      assertThat(ts.client.download(url, Map.of()).statusCode()).isEqualTo(200);
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (ts.client.download(url, Map.of()).statusCode() == 200 && System.nanoTime() < end) Thread.sleep(200);
      assertThat(ts.client.download(url, Map.of()).statusCode()).isEqualTo(404);
    }
  }
}
