package dev.refrain.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.engine.backend.sim.AceServerSimulator;
import dev.refrain.engine.backend.sim.BackendSimulator;
import dev.refrain.store.BackendStore;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.testing.Api;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes in one JVM over one PostgreSQL database, in front of the same simulated backends: the
 * backends' slots and health are the cluster's, not each node's. (Processes sharing one-slot
 * backends through 300 tasks and a kill, and backends given to some nodes: dispatch.FleetTest.)
 * Skipped on SQLite, which has one node.
 */
class SharedBackendsTest {
  final List<AutoCloseable> open = new ArrayList<>();
  String database;
  String key;

  @BeforeEach
  void onlyOnPostgresql() {
    assumeThat(TestDatabases.postgresql()).as("nodes share backends through PostgreSQL").isTrue();
    database = TestDatabases.fresh();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  <S extends BackendSimulator<S>> S sim(S s) {
    open.add(s);
    return s;
  }

  /** A node named {@code name} on the shared database, with these backend settings. */
  TestServer node(String name, Map<String, String> backends) throws Exception {
    Map<String, String> s = new HashMap<>(backends);
    s.put("REFRAIN_DATABASE_URL", database);
    s.put("REFRAIN_NODE_NAME", name);
    s.put("REFRAIN_BACKEND_POLL_INTERVAL", "20ms");
    s.put("REFRAIN_BACKEND_HEALTH_INTERVAL", "100ms");
    s.put("REFRAIN_DEFAULT_MAX_CONCURRENT", "100");
    TestServer ts = TestServer.start(Files.createTempDirectory("refrain-node-" + name), s);
    open.add(ts);
    if (key == null) key = ts.newKey();
    return ts;
  }

  String create(TestServer node) {
    Api.Reply r = node.client.post("/api/v1/task", key,
        "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"duration\":10}}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  @Test
  void aSlotHeldByANodeThatDiedIsFreeOnceItsLeaseRunsOut() throws Exception {
    AceServerSimulator cpp = sim(AceServerSimulator.start());
    TestServer a = node("a", BackendPoolTest.backend("cpp", "acestep-cpp", cpp.url()));
    // A node that died holding the only slot: its lease runs out 1.5 s from now, and nobody renews it.
    long until = Clock.nowMicros() + 1_500_000;
    try (Database db = Database.open(database)) {
      db.tx(c -> {
        try (var s = c.prepareStatement("UPDATE backend_slots SET lease_owner = 'dead-1', task_id = 'gone', lease_until = ? WHERE backend = 'cpp'")) {
          s.setLong(1, until);
          return s.executeUpdate();
        }
      });
    }
    String id = create(a);
    Thread.sleep(500);
    assertThat(cpp.jobsStarted()).as("the slot is still the dead node's").isZero();
    JsonNode done = a.client.await(id, key, Duration.ofSeconds(30));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(cpp.jobsStarted()).isEqualTo(1);
    java.time.Instant started = java.time.Instant.parse(done.path("meta").path("started_at").asText());
    assertThat(started).as("claimed only once the lease ran out").isAfterOrEqualTo(Clock.toInstant(until));
  }

  @Test
  void aBackendFailingForOneNodeIsOutForAllAndOneNodeProbesEachRound() throws Exception {
    AceServerSimulator flaky = sim(AceServerSimulator.start());
    AceServerSimulator steady = sim(AceServerSimulator.start());
    Map<String, String> backends = BackendPoolTest.merge(BackendPoolTest.backend("flaky", "acestep-cpp", flaky.url(), "PRIORITY", "1"),
        BackendPoolTest.backend("steady", "acestep-cpp", steady.url(), "PRIORITY", "2"));
    TestServer a = node("a", backends);
    TestServer b = node("b", backends);

    int before = flaky.requests("/health");
    long t0 = System.nanoTime();
    Thread.sleep(2_000);
    int probes = flaky.requests("/health") - before;
    double seconds = (System.nanoTime() - t0) / 1e9;
    // Two nodes probing every 100 ms would make 40; rounds shared, at most one per 90 ms.
    assertThat(probes).as("probes in %.1f s", seconds).isBetween(2, (int) (seconds / 0.09) + 2);

    flaky.healthy(false);
    awaitHealth(false);
    for (TestServer node : List.of(a, b)) {
      JsonNode t = node.client.await(create(node), key, Duration.ofSeconds(30));
      assertThat(t.path("logs").toString()).contains("backend steady");
    }
    assertThat(flaky.requests("/synth")).isZero();
    flaky.healthy(true);
    awaitHealth(true);
    Thread.sleep(600); // each node sees it within a tick of its mirror
    for (TestServer node : List.of(a, b)) {
      JsonNode t = node.client.await(create(node), key, Duration.ofSeconds(30));
      assertThat(t.path("logs").toString()).contains("backend flaky");
    }
  }

  void awaitHealth(boolean healthy) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    try (Database db = Database.open(database)) {
      while (System.nanoTime() < end) {
        List<BackendStore.Health> all = db.read(new BackendStore()::health);
        if (all.stream().anyMatch(h -> h.backend().equals("flaky") && h.healthy() == healthy)) return;
        Thread.sleep(20);
      }
    }
    throw new AssertionError("backend flaky never became " + (healthy ? "healthy" : "unhealthy"));
  }
}
