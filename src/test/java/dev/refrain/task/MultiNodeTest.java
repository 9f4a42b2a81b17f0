package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.storage.Links;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several nodes over one PostgreSQL database: disjoint claims, wake-ups and cancels across nodes. Skipped on SQLite. */
class MultiNodeTest {
  @BeforeEach
  void onlyOnPostgresql() {
    assumeThat(TestDatabases.postgresql()).as("several nodes need PostgreSQL").isTrue();
  }

  static TaskRow insert(Database db, Transitions tx, String keyId) {
    TaskRow row = new TaskRow(UUID.randomUUID().toString(), keyId, "Qubico/ace-step", "txt2audio", "pending", "e", "{}", "{}",
        null, null, null, 0, null, null, "[]", 0, null, 1, Clock.nowMicros(), 0, 0, 0, 0, null, null, 0, null, 0, 0, null);
    assertThat(new TaskAdmission(db, tx, 1_000, Duration.ofDays(1)).admit(row)).isEqualTo(new TaskAdmission.Outcome.Created(row));
    return row;
  }

  /** Two nodes with four claiming threads each drain one queue; returns how often each task was claimed. */
  static Map<String, Integer> drain(Transitions a, Transitions b, int expected, int limitPerClaim) throws Exception {
    Map<String, Integer> claims = new ConcurrentHashMap<>();
    AtomicInteger total = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Transitions node = i < 4 ? a : b;
      String name = (i < 4 ? "a" : "b") + i;
      workers.add(pool.submit(() -> {
        go.await();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (total.get() < expected && System.nanoTime() < end) {
          for (TaskRow t : node.claim(name, "e", limitPerClaim, 60_000_000, 1_000, 3, (id, type, c) -> true)) {
            claims.merge(t.id(), 1, Integer::sum);
            total.incrementAndGet();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> w : workers) w.get();
    pool.shutdown();
    return claims;
  }

  @Test
  void twoNodesClaimingOneQueueNeverTakeTheSameTask() throws Exception {
    String url = TestDatabases.fresh();
    try (Database a = Database.open(url); Database b = Database.open(url)) {
      Transitions ta = new Transitions(a, new Links("http://localhost"), () -> {}, new TaskWatch());
      Transitions tb = new Transitions(b, new Links("http://localhost"), () -> {}, new TaskWatch());
      String key = new ApiKeys(a).create("k", null, null, false).record().id();
      for (int i = 0; i < 200; i++) insert(a, ta, key);
      Map<String, Integer> claims = drain(ta, tb, 200, 3);
      assertThat(claims).hasSize(200);
      assertThat(claims.values()).allMatch(n -> n == 1);
      long processing = a.read(c -> new TaskStore().activeCounts(c, key))[1];
      assertThat(processing).isEqualTo(200);
    }
  }

  @Test
  void aKeysConcurrencyLimitHoldsAcrossNodes() throws Exception {
    String url = TestDatabases.fresh();
    try (Database a = Database.open(url); Database b = Database.open(url)) {
      Transitions ta = new Transitions(a, new Links("http://localhost"), () -> {}, new TaskWatch());
      Transitions tb = new Transitions(b, new Links("http://localhost"), () -> {}, new TaskWatch());
      String key = new ApiKeys(a).create("five", null, 5, false).record().id();
      for (int i = 0; i < 40; i++) insert(a, ta, key);
      // Nobody can take more than five; the threads stop when their 30 s are up or five are out.
      Map<String, Integer> claims = drain(ta, tb, 5, 2);
      assertThat(claims).hasSize(5);
      for (int i = 0; i < 20; i++) {
        assertThat(ta.claim("late", "e", 10, 60_000_000, 1_000, 3, (id, type, c) -> true)).isEmpty();
      }
      long[] pendingAndProcessing = a.read(c -> new TaskStore().activeCounts(c, key));
      assertThat(pendingAndProcessing).containsExactly(35, 5);
    }
  }

  @Test
  void aTaskCreatedOnOneNodeIsPickedUpByAnotherAtOnceAndACancelThereStopsIt() throws Exception {
    GateEngine.close();
    String url = TestDatabases.fresh();
    // A long lease: heartbeats (a third of it) must not be what stops the cancelled run.
    Map<String, String> settings = Map.of("REFRAIN_DATABASE_URL", url, "REFRAIN_ENGINE", "gate", "REFRAIN_ENGINE_CONCURRENCY", "1",
        "REFRAIN_LEASE", "60s", "REFRAIN_DEFAULT_MAX_CONCURRENT", "16");
    try (TestServer a = TestServer.start(Files.createTempDirectory("refrain-node-a-"), settings)) {
      String key = a.newKey();
      String first = create(a, key);
      awaitTrue(() -> status(a, key, first).equals("processing"), "node A runs its first task");
      String nodeA = task(a, first).leaseOwner();
      Map<String, String> b8 = new java.util.HashMap<>(settings);
      b8.put("REFRAIN_ENGINE_CONCURRENCY", "8");
      try (TestServer b = TestServer.start(Files.createTempDirectory("refrain-node-b-"), b8)) {
        Thread.sleep(300); // B's first look at the queue is over: from now on only a wake-up (or its 1 s safety poll) makes it look
        List<String> onB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          String id = create(a, key); // A's only slot is busy: B must take it
          awaitTrue(() -> task(a, id).startedAt() != 0, "another node claims the task");
          TaskRow t = task(a, id);
          assertThat(t.leaseOwner()).isNotEqualTo(nodeA);
          assertThat((t.startedAt() - t.createdAt()) / 1_000).as("ms from creation on A to the claim on B").isLessThan(250);
          onB.add(id);
          Thread.sleep(100 + 80L * i);
        }
        awaitTrue(() -> GateEngine.RUNNING.get() == 6, "B runs five tasks, A one");
        assertThat(a.client.delete("/api/v1/task/" + onB.get(0), key).status()).isEqualTo(200); // cancelled through A
        awaitTrue(() -> GateEngine.RUNNING.get() == 5, "the cancelled run on B stops");
        assertThat(status(a, key, onB.get(0))).isEqualTo("failed");
      } finally {
        GateEngine.open();
      }
    }
  }

  static String create(TestServer ts, String key) {
    var reply = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
        + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}");
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.data().path("task_id").asText();
  }

  static String status(TestServer ts, String key, String id) {
    return ts.client.get("/api/v1/task/" + id, key).data().path("status").asText();
  }

  static TaskRow task(TestServer ts, String id) {
    return ts.server.database().read(c -> new TaskStore().get(c, id)).orElseThrow();
  }

  /** Waits up to two seconds (the cross-node paths take milliseconds; heartbeats and lease expiry take far longer). */
  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(end);
      Thread.sleep(5);
    }
  }
}
