package dev.refrain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.testing.TestServer;
import dev.refrain.testing.TestStorage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A server on S3 (whatever the suite's storage): outputs through Refrain with Range, or presigned straight from the bucket. */
class S3StorageTest {
  static TestServer start(Map<String, String> more) throws Exception {
    Map<String, String> s = new HashMap<>(TestStorage.s3("s-" + UUID.randomUUID()));
    s.putAll(more);
    return TestServer.start(s);
  }

  static JsonNode run(TestServer ts, String key, String body) {
    String id = ts.client.post("/api/v1/task", key, body).data().path("task_id").asText();
    JsonNode t = ts.client.await(id, key, Duration.ofSeconds(60));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    return t;
  }

  @Test
  void outputsAreStreamedThroughRefrainWithRange() throws Exception {
    try (TestServer ts = start(Map.of())) {
      String key = ts.newKey();
      JsonNode t = run(ts, key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\",\"duration\":10}}");
      String url = t.path("output").path("audio_url").asText();
      assertThat(url).startsWith(ts.server.baseUrl() + "/files/outputs/");
      HttpResponse<byte[]> whole = ts.client.download(url, Map.of());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).hasSize(t.path("output").path("size").asInt());
      HttpResponse<byte[]> part = ts.client.download(url, Map.of("Range", "bytes=1000-1999"));
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 1000, 2000));
      assertThat(Files.exists(ts.dataDir.resolve("files"))).as("nothing stored on disk").isFalse();
    }
  }

  @Test
  void presignedOutputsComeStraightFromTheBucketAndStillWorkAsInputs() throws Exception {
    // Loopback fetches refused: the output used as input below can only be read from storage.
    try (TestServer ts = start(Map.of("REFRAIN_AUDIO_URLS", "presigned", "REFRAIN_PRESIGN_TTL", "1h",
        "REFRAIN_FETCH_ALLOW_PRIVATE", "false"))) {
      String key = ts.newKey();
      JsonNode t = run(ts, key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\",\"duration\":10}}");
      String url = t.path("output").path("audio_url").asText();
      assertThat(url).doesNotStartWith(ts.server.baseUrl()).contains("/outputs/").contains("X-Amz-Expires=3600");
      HttpResponse<byte[]> direct = ts.client.download(url, Map.of());
      assertThat(direct.statusCode()).isEqualTo(200);
      assertThat(direct.body()).hasSize(t.path("output").path("size").asInt());
      assertThat(direct.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
      assertThat(ts.client.download(url, Map.of("Range", "bytes=0-99")).body()).hasSize(100);

      JsonNode extended = run(ts, key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + url
          + "\",\"style_prompt\":\"pop\",\"right_extend_duration\":5}}");
      assertThat(extended.path("output").path("duration").asDouble()).isGreaterThan(14);
    }
  }
}
