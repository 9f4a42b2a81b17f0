package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.store.LedgerStore;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys see only their own tasks; concurrency, waiting caps, cancel of running work and the ledger. */
class KeysAndQuotasTest {
  static final String TASK = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";
  TestServer ts;

  @BeforeEach
  void start() throws Exception {
    GateEngine.close();
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_ENGINE_CONCURRENCY", "8", "REFRAIN_MAX_PENDING_PER_KEY", "3"));
  }

  @AfterEach
  void stop() {
    GateEngine.open();
    ts.close();
  }

  String create(String key) {
    Reply r = ts.client.post("/api/v1/task", key, TASK);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  String status(String id, String key) {
    return ts.client.get("/api/v1/task/" + id, key).data().path("status").asText();
  }

  void waitStatus(String id, String key, String want) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!status(id, key).equals(want)) {
      if (System.nanoTime() > end) throw new AssertionError(id + " never became " + want + ", is " + status(id, key));
      Thread.sleep(10);
    }
  }

  @Test
  void aKeyCannotSeeListOrCancelAnotherKeysTask() {
    String alice = ts.newKey();
    String bob = ts.newKey();
    String id = create(alice);
    Reply peek = ts.client.get("/api/v1/task/" + id, bob);
    assertThat(peek.status()).isEqualTo(404);
    assertThat(peek.message()).isEqualTo("task " + id + " not found");
    assertThat(ts.client.delete("/api/v1/task/" + id, bob).status()).isEqualTo(404);
    assertThat(ts.client.post("/api/v1/task/" + id + "/cancel", bob, "").status()).isEqualTo(404);
    assertThat(ts.client.delete("/api/v1/tasks?created_before=" + (System.currentTimeMillis() / 1000 + 60), bob).data().path("count").asInt()).isZero();
    assertThat(ts.client.get("/api/open/tasks/histories", bob).data().path("total").asInt()).isZero();
    assertThat(status(id, alice)).isIn("pending", "processing");
  }

  @Test
  void maxConcurrentLimitsRunningTasksAndTheRestWaitPending() throws Exception {
    var k = ts.newKey(null, 2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) ids.add(create(k.secret()));
    waitStatus(ids.get(0), k.secret(), "processing");
    waitStatus(ids.get(1), k.secret(), "processing");
    Thread.sleep(300);
    assertThat(status(ids.get(2), k.secret())).isEqualTo("pending");
    assertThat(status(ids.get(3), k.secret())).isEqualTo("pending");
    JsonNode active = ts.client.get("/account/active_tasks", k.secret()).data().path("Qubico/ace-step");
    assertThat(active.path("processing_count").asInt()).isEqualTo(2);
    assertThat(active.path("pending_count").asInt()).isEqualTo(2);
    GateEngine.open();
    for (String id : ids) assertThat(ts.client.await(id, k.secret(), Duration.ofSeconds(20)).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void tooManyWaitingTasksIs429WithRetryAfter() throws Exception {
    var k = ts.newKey(null, 1);
    String running = create(k.secret());
    waitStatus(running, k.secret(), "processing");
    for (int i = 0; i < 3; i++) create(k.secret());
    Reply r = ts.client.post("/api/v1/task", k.secret(), TASK);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.body().path("code").asInt()).isEqualTo(429);
    assertThat(r.message()).contains("too many pending tasks");
    assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void thePendingCapHoldsExactlyUnderParallelCreates() throws Exception {
    try (TestServer capped = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_MAX_PENDING_PER_KEY", "20"));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      String key = capped.newKey(null, 0).secret(); // may run nothing: every task it makes stays pending
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        replies.add(clients.submit(() -> {
          go.await();
          return capped.client.post("/api/v1/task", key, TASK);
        }));
      }
      go.countDown();
      Map<Integer, Long> byStatus = new java.util.TreeMap<>();
      for (Future<Reply> r : replies) {
        Reply reply = r.get();
        byStatus.merge(reply.status(), 1L, Long::sum);
        if (reply.status() == 429) assertThat(reply.message()).contains("too many pending tasks");
      }
      assertThat(byStatus).isEqualTo(Map.of(200, 20L, 429, 40L));
      assertThat(capped.client.get("/account/active_tasks", key).data().path("Qubico/ace-step").path("pending_count").asInt()).isEqualTo(20);
    }
  }

  @Test
  void cancellingARunningTaskStopsTheEngineAndReleasesTheHold() throws Exception {
    var k = ts.newKey(1_000_000L, null);
    String id = create(k.secret());
    waitStatus(id, k.secret(), "processing");
    assertThat(ts.client.get("/account/info", k.secret()).data().path("wallet").path("point_remain").asLong()).isEqualTo(950_000);
    Reply c = ts.client.delete("/api/v1/task/" + id, k.secret());
    assertThat(c.status()).isEqualTo(200);
    JsonNode t = ts.client.get("/api/v1/task/" + id, k.secret()).data();
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).isEqualTo("task canceled by the client");
    assertThat(ts.client.get("/account/info", k.secret()).data().path("wallet").path("point_remain").asLong()).isEqualTo(1_000_000);
    // The engine was told to stop: opening the gate later produces no output for it.
    Thread.sleep(200);
    GateEngine.open();
    Thread.sleep(300);
    JsonNode after = ts.client.get("/api/v1/task/" + id, k.secret()).data();
    assertThat(after.path("status").asText()).isEqualTo("failed");
    assertThat(after.path("output").isNull()).isTrue();
    var entries = ts.server.database().read(c2 -> new LedgerStore().forTask(c2, id));
    assertThat(entries).extracting(LedgerStore.Entry::kind).containsExactly("hold", "release");
  }

  @Test
  void theLedgerBalancesAfterWork() throws Exception {
    var k = ts.newKey(2_000_000L, null);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(create(k.secret()));
    ts.client.delete("/api/v1/task/" + ids.get(2), k.secret());
    GateEngine.open();
    for (int i = 0; i < 2; i++) ts.client.await(ids.get(i), k.secret(), Duration.ofSeconds(20));
    long balance = ts.client.get("/account/info", k.secret()).data().path("wallet").path("point_remain").asLong();
    assertThat(balance).isEqualTo(2_000_000L - 2 * 50_000);
    var ledger = ts.server.database().read(c -> new LedgerStore().forKey(c, k.record().id()));
    assertThat(ledger.stream().mapToLong(LedgerStore.Entry::units).sum()).isEqualTo(balance);
    assertThat(ledger.get(ledger.size() - 1).balanceAfter()).isEqualTo(balance);
    assertThat(ledger.stream().filter(e -> e.kind().equals("charge")).mapToLong(LedgerStore.Entry::units).sum()).isEqualTo(-100_000);
  }
}
