package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.auth.ApiKeys;
import dev.refrain.storage.Links;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's claim, lease and retry rules, on a real database (SQLite or PostgreSQL, see TestDatabases). */
class TransitionsTest {
  Database db;
  Transitions transitions;
  String keyId;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(TestDatabases.url(Files.createTempDirectory("refrain-tx-")));
    transitions = new Transitions(db, new Links("http://localhost"), () -> {}, new TaskWatch());
    keyId = new ApiKeys(db).create("k", 1_000_000L, 10, false).record().id();
  }

  @AfterEach
  void close() {
    db.close();
  }

  TaskRow insert() {
    TaskRow row = new TaskRow(UUID.randomUUID().toString(), keyId, "Qubico/ace-step", "txt2audio", "pending", "e", "{}", "{}",
        null, null, null, 0, null, null, "[]", 0, null, 1, Clock.nowMicros(), 0, 0, 50_000, 0, null, null, 0, null, 0, 0, null);
    assertThat(new TaskAdmission(db, transitions, 1_000, Duration.ofDays(1)).admit(row)).isEqualTo(new TaskAdmission.Outcome.Created(row));
    return row;
  }

  static final TaskOutput OUTPUT = new TaskOutput("x", 3, "mp3", 10, 1, null, null);

  /** Claims with an engine that always has a slot. */
  List<TaskRow> claim(String node, int limit, long leaseMicros, int maxAttempts) {
    return transitions.claim(node, "e", limit, leaseMicros, 4, maxAttempts, (id, type, c) -> true);
  }

  TaskRow get(String id) {
    return db.read(c -> new TaskStore().get(c, id)).orElseThrow();
  }

  @Test
  void anExpiredLeaseIsClaimedAgainAndTooManyAttemptsFailTheTask() throws Exception {
    TaskRow t = insert();
    assertThat(claim("node-a", 5, 200_000, 2)).extracting(TaskRow::id).containsExactly(t.id());
    assertThat(claim("node-b", 5, 200_000, 2)).as("lease still held").isEmpty();
    Thread.sleep(250);
    List<TaskRow> second = claim("node-b", 5, 200_000, 2);
    assertThat(second).extracting(TaskRow::leaseOwner).containsExactly("node-b");
    assertThat(second.get(0).attempts()).isEqualTo(2);
    // node-a woke up late: its lease is gone, so it can neither renew nor complete.
    assertThat(transitions.heartbeat("node-a", Set.of(t.id()), 1_000_000)).isEmpty();
    assertThat(transitions.complete(second.get(0), "node-a", OUTPUT, 1, List.of())).isFalse();
    Thread.sleep(250);
    assertThat(claim("node-c", 5, 200_000, 2)).isEmpty();
    TaskRow failed = get(t.id());
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.errorMessage()).isEqualTo("task failed after 2 attempts: the worker running it stopped before finishing");
    List<LedgerStore.Entry> entries = db.read(c -> new LedgerStore().forTask(c, t.id()));
    assertThat(entries).extracting(LedgerStore.Entry::kind).containsExactly("hold", "release");
  }

  @Test
  void aClaimRunAgainAfterItsTransactionRolledBackReportsWhatTheSecondRunCommitted() {
    // As a batch of creates that fails runs its ride-along claim again, alone (see TaskAdmission#along).
    transitions.claimsRun(work -> {
      assertThatThrownBy(() -> db.tx(c -> {
        work.run(c);
        throw new java.sql.SQLException("the batch failed");
      })).isInstanceOf(dev.refrain.store.StoreException.class);
      return db.tx(work);
    });
    List<String> committed = new java.util.ArrayList<>();
    transitions.onCommit(row -> committed.add(row.id() + " " + row.status()));
    TaskRow t = insert();
    committed.clear();

    assertThat(claim("n", 5, 1_000_000, 3)).extracting(TaskRow::id).containsExactly(t.id());
    assertThat(committed).containsExactly(t.id() + " processing");
    assertThat(get(t.id()).attempts()).isEqualTo(1);
  }

  @Test
  void heartbeatsKeepALeaseAndAGracefulStopHandsItBack() throws Exception {
    TaskRow t = insert();
    claim("node-a", 5, 50_000, 3);
    for (int i = 0; i < 3; i++) {
      Thread.sleep(20);
      assertThat(transitions.heartbeat("node-a", Set.of(t.id()), 50_000)).containsExactly(t.id());
    }
    assertThat(claim("node-b", 5, 50_000, 3)).isEmpty();
    assertThat(transitions.releaseLeases("node-a")).isEqualTo(1);
    List<TaskRow> again = claim("node-b", 5, 50_000, 3);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempts()).as("a graceful stop costs no attempt").isEqualTo(1);
  }

  @Test
  void completionSettlesTheHoldOnceAndCannotHappenTwice() {
    TaskRow t = insert();
    TaskRow claimed = claim("n", 1, 1_000_000, 3).get(0);
    assertThat(transitions.complete(claimed, "n", OUTPUT, 30_000, List.of("done"))).isTrue();
    assertThat(transitions.complete(claimed, "n", OUTPUT, 30_000, List.of("done"))).isFalse();
    assertThat(transitions.fail(claimed, null, 500, "late", "late", null)).isFalse();
    TaskRow done = get(t.id());
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.consumed()).isEqualTo(30_000);
    assertThat(done.frozen()).isZero();
    assertThat(db.read(c -> new LedgerStore().forKey(c, keyId)).stream().mapToLong(LedgerStore.Entry::units).sum())
        .isEqualTo(1_000_000 - 30_000);
  }

  @Test
  void aTaskWaitsQueuedUntilTheEngineAdmitsIt() {
    TaskRow t = insert();
    assertThat(transitions.claim("n", "e", 10, 1_000_000, 4, 3, (id, type, c) -> false)).isEmpty();
    assertThat(get(t.id()).status()).isEqualTo("pending");
    assertThat(transitions.claim("n", "e", 10, 1_000_000, 4, 3, (id, type, c) -> true)).extracting(TaskRow::id).containsExactly(t.id());
    assertThat(get(t.id()).status()).isEqualTo("processing");
  }

  @Test
  void aKeysConcurrencyLimitHoldsAcrossClaims() {
    String limited = new ApiKeys(db).create("one", null, 1, false).record().id();
    String saved = keyId;
    keyId = limited;
    insert();
    insert();
    keyId = saved;
    assertThat(claim("n", 10, 1_000_000, 3)).hasSize(1);
    assertThat(claim("n", 10, 1_000_000, 3)).isEmpty();
  }

  @Test
  void heartbeatsAndBatchedEndsOfOneNodesTasksNeverWaitOnEachOtherInACycle() throws Exception {
    keyId = new ApiKeys(db).create("many", null, 1_000, false).record().id();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) ids.add(insert().id());
    List<TaskRow> running = new java.util.ArrayList<>();
    while (running.size() < ids.size()) running.addAll(claim("n", 64, 60_000_000, 3));
    // A heartbeat renews every lease of the node, row by row, while the node's workers end the
    // tasks, many per transaction: neither may hold rows the other waits for while it waits.
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var beats = pool.submit(() -> {
        int n = 0;
        for (; !done.get(); n++) transitions.heartbeat("n", new java.util.HashSet<>(ids), 60_000_000);
        return n;
      });
      List<java.util.concurrent.Future<Boolean>> ends = new java.util.ArrayList<>();
      for (TaskRow t : running) ends.add(pool.submit(() -> transitions.complete(t, "n", OUTPUT, 1, List.of())));
      for (var e : ends) assertThat(e.get()).isTrue();
      done.set(true);
      assertThat(beats.get()).isPositive();
    }
    for (String id : ids) assertThat(get(id).status()).isEqualTo("completed");
  }
}
