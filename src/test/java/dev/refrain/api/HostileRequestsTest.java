package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.refrain.testing.LogCapture;
import dev.refrain.testing.RawHttp;
import dev.refrain.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests no client should send, sent on purpose, as raw HTTP: each gets a clear 4xx in the JSON
 * envelope (or its connection closed), never a 5xx, and the log says at most one short line.
 */
class HostileRequestsTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static TestServer ts;
  private static String key;

  @BeforeAll
  static void start() throws IOException {
    ts = TestServer.start();
    key = ts.newKey();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static RawHttp connect() {
    return new RawHttp(ts.server.port());
  }

  @Test
  void aFolderUnderFilesIsNotFound() {
    // An upload and an output exist, so on disk their folders do too.
    ts.client.post("/api/ephemeral_resource", key, Map.of("file_name", "a.mp3", "file_data", "AAAA"));
    String id = ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "piano", "duration", 10))).data().path("task_id").asText();
    assertThat(ts.client.await(id, key, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("completed");

    try (LogCapture logs = LogCapture.start()) {
      for (String path : new String[] {"/files/outputs/", "/files/uploads/", "/files/outputs/.", "/files/uploads/./",
          "/files/outputs/..%2f", "/files/outputs//"}) {
        for (String method : new String[] {"GET", "HEAD"}) {
          for (String range : new String[] {"X-Nothing: 0", "Range: bytes=0-99", "Range: bytes=-10"}) {
            try (RawHttp http = connect()) {
              http.send(RawHttp.head(method, path, range, "Connection: close"));
              RawHttp.Answer a = http.answer(PROMPTLY);
              assertThat(a.status()).as("%s %s (%s)", method, path, range).isEqualTo(404);
              if (method.equals("GET")) assertThat(a.body().path("code").asInt()).isEqualTo(404);
            }
          }
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }
}
