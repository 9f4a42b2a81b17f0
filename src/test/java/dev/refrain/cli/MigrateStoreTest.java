package dev.refrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `refrain migrate-store` as a real process: a single node's SQLite store moves to PostgreSQL whole. */
// Runs once, in the default execution: it sets up both stores itself.
@RunsOnce
class MigrateStoreTest {
  private static final String TASK = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";

  static CliProcess.Run migrate(String... args) throws Exception {
    return CliProcess.run(Map.of(), "migrate-store", args);
  }

  @Test
  void tasksKeysAndLedgerMoveToPostgresqlAndTheServerCarriesOn() throws Exception {
    Path dir = Files.createTempDirectory("refrain-migrate-");
    Path sqlite = dir.resolve("refrain.db");
    String secret;
    List<JsonNode> before = new ArrayList<>();
    long balance;
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_DATABASE_URL", "sqlite:" + sqlite))) {
      secret = ts.newKey(10_000_000L, null).secret();
      for (int i = 0; i < 3; i++) {
        String id = ts.client.post("/api/v1/task", secret, TASK).data().path("task_id").asText();
        before.add(ts.client.await(id, secret, Duration.ofSeconds(60)));
      }
      balance = ts.client.get("/account/info", secret).data().path("wallet").path("point_remain").asLong();
    }
    assertThat(balance).isEqualTo(10_000_000L - 3 * 50_000);

    String postgres = TestDatabases.fresh();
    CliProcess.Run run = migrate("--from", sqlite.toString(), "--to", postgres);
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("api_keys", "tasks", "ledger", "migrated");

    // The same files folder, the new database: every task reads as before, the key and its balance work, and new work runs.
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_DATABASE_URL", postgres))) {
      for (JsonNode t : before) {
        JsonNode now = ts.client.get("/api/v1/task/" + t.path("task_id").asText(), secret).data();
        assertThat(now.path("status").asText()).isEqualTo("completed");
        // The same output, its URL now under this server's base (it is made for whoever reads it).
        String was = t.path("output").path("audio_url").asText();
        ((com.fasterxml.jackson.databind.node.ObjectNode) t.path("output")).put("audio_url", ts.server.baseUrl() + was.substring(was.indexOf("/files/")));
        assertThat(now.path("output")).isEqualTo(t.path("output"));
        assertThat(now.path("meta")).isEqualTo(t.path("meta"));
        assertThat(ts.client.download(now.path("output").path("audio_url").asText(), Map.of()).statusCode()).isEqualTo(200);
      }
      assertThat(ts.client.get("/account/info", secret).data().path("wallet").path("point_remain").asLong()).isEqualTo(balance);
      String id = ts.client.post("/api/v1/task", secret, TASK).data().path("task_id").asText();
      assertThat(ts.client.await(id, secret, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("completed");
      assertThat(ts.client.get("/account/info", secret).data().path("wallet").path("point_remain").asLong()).isEqualTo(balance - 50_000);
    }

    // A second run refuses to mix stores and writes nothing.
    CliProcess.Run again = migrate("--from", sqlite.toString(), "--to", postgres);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).contains("only fills an empty store");
    assertThat(migrate("--from", dir.resolve("missing.db").toString(), "--to", postgres).out()).contains("no SQLite database");
    assertThat(migrate("--from", sqlite.toString(), "--to", "mysql://x").out()).contains("--to must be a postgresql:// URL");
  }
}
