package dev.refrain.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.auth.ApiKeys;
import dev.refrain.store.Database;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.TaskStore;
import dev.refrain.testing.Api;
import dev.refrain.testing.ServerProcess;
import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kills a real server process with SIGKILL while a task runs, starts another on the same data,
 * and checks the task completes once its lease expires, billed exactly once.
 */
class RestartTest {
  @Test
  void aTaskRunningWhenTheServerIsKilledCompletesAfterRestartWithoutDoubleCharge() throws Exception {
    Path dir = Files.createTempDirectory("refrain-restart-");
    int port = ServerProcess.freePort();
    ApiKeys.Issued k = ServerProcess.issueKey(dir, "crash", 10_000_000L);
    String secret = k.secret();
    String keyId = k.record().id();
    Api api = new Api("http://127.0.0.1:" + port);

    Process first = launch(dir, port, "first.log");
    String id;
    try {
      ServerProcess.awaitHealthy(api, first);
      id = api.post("/api/v1/task", secret, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}").data().path("task_id").asText();
      api.awaitStatus(id, secret, Set.of("processing"), Duration.ofSeconds(20));
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
    }

    Process second = launch(dir, port, "second.log");
    try {
      ServerProcess.awaitHealthy(api, second);
      JsonNode t = api.await(id, secret, Duration.ofSeconds(60));
      assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
      assertThat(t.path("meta").path("usage").path("consume").asLong()).isEqualTo(50_000);
      assertThat(t.path("logs").toString()).contains("attempt 2");
      assertThat(api.get("/account/info", secret).data().path("wallet").path("point_remain").asLong()).isEqualTo(10_000_000L - 50_000);
    } finally {
      second.destroy();
      second.waitFor();
    }
    try (Database db = Database.open(TestDatabases.url(dir))) {
      List<LedgerStore.Entry> entries = db.read(c -> new LedgerStore().forTask(c, id));
      assertThat(entries).extracting(LedgerStore.Entry::kind).containsExactly("hold", "release", "charge");
      long sum = db.read(c -> new LedgerStore().forKey(c, keyId)).stream().mapToLong(LedgerStore.Entry::units).sum();
      assertThat(sum).isEqualTo(10_000_000L - 50_000);
    }
  }

  @Test
  void aTaskWhoseRunnerDiedTwiceFailsInsteadOfRunningAThirdTime() throws Exception {
    // The input that kills its runner would otherwise take down every node that claims it, again and again.
    Path dir = Files.createTempDirectory("refrain-restart-");
    int port = ServerProcess.freePort();
    String secret = ServerProcess.issueKey(dir, "crash", 10_000_000L).secret();
    Api api = new Api("http://127.0.0.1:" + port);
    String id = null;
    for (int run = 1; run <= 2; run++) {
      Process p = launch(dir, port, "run" + run + ".log", "60000");
      try {
        ServerProcess.awaitHealthy(api, p);
        if (id == null) {
          id = api.post("/api/v1/task", secret, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
              + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}").data().path("task_id").asText();
        }
        awaitAttempt(dir, id, run);
      } finally {
        p.destroyForcibly().waitFor();
      }
    }
    Process third = launch(dir, port, "run3.log", "60000");
    try {
      ServerProcess.awaitHealthy(api, third);
      JsonNode t = api.await(id, secret, Duration.ofSeconds(30));
      assertThat(t.path("status").asText()).isEqualTo("failed");
      assertThat(t.path("error").path("message").asText())
          .isEqualTo("task failed after 2 attempts: the worker running it stopped before finishing");
      assertThat(api.get("/account/info", secret).data().path("wallet").path("point_remain").asLong()).isEqualTo(10_000_000L);
    } finally {
      third.destroy();
      third.waitFor();
    }
  }

  /** Waits until the task's run number {@code attempt} has begun on some node. */
  private static void awaitAttempt(Path dir, String id, int attempt) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Database db = Database.open(TestDatabases.url(dir))) {
      while (db.read(c -> new TaskStore().get(c, id)).orElseThrow().attempts() < attempt) {
        assertThat(System.nanoTime()).as("attempt %d began", attempt).isLessThan(end);
        Thread.sleep(50);
      }
    }
  }

  private static Process launch(Path dir, int port, String logName) throws Exception {
    return launch(dir, port, logName, "3000");
  }

  private static Process launch(Path dir, int port, String logName, String engineMillis) throws Exception {
    return ServerProcess.launch(dir, port, logName, Map.of("REFRAIN_ENGINE", "slow", "REFRAIN_LEASE", "2s", "SLOW_ENGINE_MILLIS", engineMillis));
  }
}
