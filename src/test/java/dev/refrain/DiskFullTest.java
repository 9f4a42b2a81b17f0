package dev.refrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.testing.Api;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A real server process whose data dir is a small tmpfs that fills up: work is refused with a clear
 * 507, a task caught by it ends failed (never left processing), /healthz says so, and all comes back
 * when space does. Needs root to mount; skipped elsewhere.
 */
// Runs once, in the default execution: the point is a data dir that fills, SQLite's included.
@RunsOnce
class DiskFullTest {
  private static final String CREATE = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";

  @Test
  void aFullDiskCostsNoTaskItsStateAndServesAgainOnceThereIsRoom() throws Exception {
    Path dir = Files.createTempDirectory("refrain-full-");
    assumeThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dir.toString()).start().waitFor())
        .as("mounting a tmpfs (needs root)").isZero();
    Process server = null;
    try {
      int port = ServerProcess.freePort();
      String key = ServerProcess.issueKey(dir, "filler", 1_000_000_000L).secret();
      Api api = new Api("http://127.0.0.1:" + port);
      server = ServerProcess.launch(dir, port, "../full-" + port + ".log",
          Map.of("REFRAIN_ENGINE", "slow", "SLOW_ENGINE_MILLIS", "3000", "REFRAIN_MIN_FREE_BYTES", Long.toString(4 << 20)));
      ServerProcess.awaitHealthy(api, server);

      String caught = api.post("/api/v1/task", key, CREATE).data().path("task_id").asText();
      api.awaitStatus(caught, key, Set.of("processing"), Duration.ofSeconds(20));
      Path filler = dir.resolve("filler");
      fill(filler);

      JsonNode t = api.await(caught, key, Duration.ofSeconds(30));
      assertThat(t.path("status").asText()).isEqualTo("failed");
      assertThat(t.path("error").path("message").asText()).isEqualTo("the server ran out of disk space for the output; try again later");

      Api.Reply create = api.post("/api/v1/task", key, CREATE);
      assertThat(create.status()).isEqualTo(507);
      assertThat(create.message()).isEqualTo("the server is out of disk space; try again later");
      assertThat(create.raw().headers().firstValue("Retry-After")).hasValue("60");
      Api.Reply upload = api.post("/api/ephemeral_resource", key,
          Map.of("file_name", "a.wav", "file_data", Base64.getEncoder().encodeToString(new byte[1000])));
      assertThat(upload.status()).isEqualTo(507);
      Api.Reply health = api.get("/healthz", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.body().path("data").path("data_dir").asText()).startsWith("the data dir ");
      assertThat(api.get("/api/v1/task/" + caught, key).status()).as("reads still work").isEqualTo(200);

      Files.delete(filler);
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (api.get("/healthz", null).status() != 200) {
        assertThat(System.nanoTime()).as("healthy again").isLessThan(end);
        Thread.sleep(100);
      }
      String after = api.post("/api/v1/task", key, CREATE).data().path("task_id").asText();
      assertThat(api.await(after, key, Duration.ofSeconds(30)).path("status").asText()).isEqualTo("completed");
      assertThat(server.isAlive()).isTrue();
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor();
      }
      new ProcessBuilder("umount", dir.toString()).start().waitFor();
    }
  }

  /** Writes until the file system says it is full. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) out.write(chunk);
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }
}
