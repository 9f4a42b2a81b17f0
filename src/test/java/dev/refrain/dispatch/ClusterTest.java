package dev.refrain.dispatch;

import static dev.refrain.testing.StoreQueries.awaitCount;
import static dev.refrain.testing.StoreQueries.count;
import static dev.refrain.testing.StoreQueries.ledgerKinds;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.auth.ApiKeys;
import dev.refrain.store.Database;
import dev.refrain.testing.Api;
import dev.refrain.testing.ServerProcess;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestStorage;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Three server processes over one PostgreSQL and one S3 (S3Proxy), as a scaled-out deployment
 * runs: 120 tasks created round-robin, one node killed with SIGKILL mid-run. Every task ends
 * completed, charged once; every webhook event reaches the receiver (repeats under the same
 * webhook-id, with the same body); every key's ledger sums to its balance.
 */
// Runs once, in the default execution: it sets up its own PostgreSQL and S3 whatever the suite runs on.
@DisabledIfSystemProperty(named = "refrain.test.database", matches = "postgresql")
@DisabledIfSystemProperty(named = "refrain.test.storage", matches = "s3")
class ClusterTest {
  private static final int NODES = 3;
  private static final int TASKS = 60;
  private static final long CREDIT = 100_000_000L;
  /** Each task: 10 s of audio at 5,000 units a second. */
  private static final long PRICE = 50_000;

  @Test
  void threeNodesRunEveryTaskOnceDeliverEveryWebhookAndBalanceTheLedgerThroughAKill() throws Exception {
    String database = TestDatabases.fresh();
    Map<String, String> storage = TestStorage.s3("cluster-" + UUID.randomUUID().toString().substring(0, 8));
    String secret;
    String keyId;
    try (Database db = Database.open(database)) {
      ApiKeys.Issued k = new ApiKeys(db).create("cluster", CREDIT, 10_000, false);
      secret = k.secret();
      keyId = k.record().id();
    }
    Map<String, List<String>> received = new ConcurrentHashMap<>(); // webhook-id -> bodies
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.computeIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(body);
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    receiver.start();
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

    Path root = Files.createTempDirectory("refrain-cluster-");
    List<Process> nodes = new ArrayList<>();
    List<Api> apis = new ArrayList<>();
    try {
      for (int n = 0; n < NODES; n++) {
        int port = ServerProcess.freePort();
        nodes.add(launch(root.resolve("node" + n), port, database, storage));
        apis.add(new Api("http://127.0.0.1:" + port));
      }
      for (int n = 0; n < NODES; n++) ServerProcess.awaitHealthy(apis.get(n), nodes.get(n));

      // Created round-robin from several clients at once.
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        Api api = apis.get(i % NODES);
        created.add(clients.submit(() -> {
          Api.Reply r = api.post("/api/v1/task", secret, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
              + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10},\"config\":{\"webhook_config\":{\"endpoint\":\"" + hook + "\"}}}");
          assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
          return r.data().path("task_id").asText();
        }));
      }
      Set<String> ids = new HashSet<>();
      for (Future<String> f : created) ids.add(f.get());
      clients.shutdown();
      assertThat(ids).hasSize(TASKS);

      // Kill one node mid-run, once a fifth are done, while every node's slots are busy.
      try (Database db = Database.open(database)) {
        awaitCount(db, "SELECT COUNT(*) FROM tasks WHERE status = 'completed'", TASKS / 5, Duration.ofSeconds(120));
        awaitCount(db, "SELECT COUNT(DISTINCT lease_owner) FROM tasks WHERE status = 'processing'", NODES, Duration.ofSeconds(30));
        nodes.get(1).destroyForcibly().waitFor(); // SIGKILL: no hand-back, no shutdown hook

        awaitCount(db, "SELECT COUNT(*) FROM tasks WHERE status = 'completed'", TASKS, Duration.ofSeconds(180));
        awaitCount(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'delivered'",
            count(db, "SELECT COUNT(*) FROM webhook_deliveries"), Duration.ofSeconds(120));

        // Every task ran to one completion and one charge; the killed node's tasks were taken over.
        assertThat(count(db, "SELECT COUNT(*) FROM tasks WHERE status <> 'completed'")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM tasks WHERE attempts > 1")).as("tasks taken over from the killed node").isPositive();
        Map<String, Map<String, Long>> kinds = ledgerKinds(db);
        assertThat(kinds.keySet()).containsAll(ids);
        for (String id : ids) {
          assertThat(kinds.get(id)).as(id).isEqualTo(Map.of("hold", 1L, "release", 1L, "charge", 1L));
        }
        long consumed = count(db, "SELECT COALESCE(SUM(consumed), 0) FROM tasks");
        assertThat(consumed).isEqualTo(TASKS * PRICE);
        long balance = count(db, "SELECT balance FROM api_keys WHERE id = '" + keyId + "'");
        assertThat(balance).isEqualTo(CREDIT - TASKS * PRICE);
        assertThat(count(db, "SELECT COALESCE(SUM(units), 0) FROM ledger WHERE key_id = '" + keyId + "'")).isEqualTo(balance);

        // Every webhook event arrived; repeats of one event kept its id and its body.
        Map<String, String> events = new HashMap<>();
        db.read(c -> {
          try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, task_id, event FROM webhook_deliveries")) {
            while (rs.next()) events.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
          }
          return null;
        });
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(events.keySet());
        for (var e : received.entrySet()) assertThat(new HashSet<>(e.getValue())).as(e.getKey()).hasSize(1);
        Set<String> completedEvents = new HashSet<>();
        events.values().stream().filter(v -> v.endsWith("/completed")).forEach(completedEvents::add);
        assertThat(completedEvents).hasSize(TASKS);
      }

      // The audio is in the shared storage: any live node serves any node's output.
      int checked = 0;
      for (String id : ids) {
        if (checked++ == 5) break;
        Api api = apis.get(checked % 2 == 0 ? 0 : 2);
        String url = api.get("/api/v1/task/" + id, secret).data().path("output").path("audio_url").asText();
        String own = api.base + url.substring(url.indexOf("/files/"));
        var audio = api.download(own, Map.of());
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(AudioDecoder.decode(audio.body(), 60).seconds()).isEqualTo(10.0);
      }
    } finally {
      for (Process p : nodes) {
        p.destroy();
      }
      for (Process p : nodes) p.waitFor();
      receiver.stop(0);
    }
  }

  private static Process launch(Path dir, int port, String database, Map<String, String> storage) throws Exception {
    Files.createDirectories(dir);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.refrain.Main", "serve");
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().putAll(storage);
    pb.environment().put("REFRAIN_DATABASE_URL", database);
    pb.environment().put("REFRAIN_HOST", "127.0.0.1");
    pb.environment().put("REFRAIN_PORT", Integer.toString(port));
    pb.environment().put("REFRAIN_DATA_DIR", dir.toString());
    pb.environment().put("REFRAIN_ENGINE", "slow");
    // Three nodes run 6 tasks a second, fewer than the clients create (10-12 a second on 2 cores): a
    // backlog builds, so every node is surely busy when one is killed.
    pb.environment().put("SLOW_ENGINE_MILLIS", "1000");
    pb.environment().put("SLOW_ENGINE_TONE", "true");
    pb.environment().put("REFRAIN_ENGINE_CONCURRENCY", "2");
    pb.environment().put("REFRAIN_LEASE", "2s");
    pb.environment().put("REFRAIN_WEBHOOK_ALLOW_PRIVATE", "true");
    pb.environment().put("REFRAIN_WEBHOOK_BASE_DELAY", "200ms");
    pb.environment().put("REFRAIN_MAX_PENDING_PER_KEY", "10000");
    pb.environment().put("REFRAIN_PRINT_FIRST_KEY", "false");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
    pb.directory(new File(dir.toString()));
    return pb.start();
  }
}
