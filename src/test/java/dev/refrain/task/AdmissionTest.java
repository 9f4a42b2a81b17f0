package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.billing.Pricing;
import dev.refrain.config.Config;
import dev.refrain.core.ApiError;
import dev.refrain.storage.DiskBlobStore;
import dev.refrain.storage.DiskSpace;
import dev.refrain.storage.Links;
import dev.refrain.storage.Uploads;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.GroupCommit;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.StoreException;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Creates racing on one key, on a real database: SQLite, PostgreSQL, and two nodes (each its own
 * pool, transitions and service, so its own group commits) over one PostgreSQL. However the
 * creates fall into batches, a balance covers exactly the holds it can and never goes below zero,
 * the pending cap admits exactly its limit, one idempotency key makes one task, every task is held,
 * released and charged once, and the ledger sums to the balance; a broken create fails only itself.
 */
class AdmissionTest {
  static final String BODY = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";
  static final String OTHER_BODY = BODY.replace("piano", "organ");
  static final long PRICE = 50_000; // the hold of BODY: 10 s at the default price
  static final int CREATES = 48;

  /** One node over the shared database: its own pool, transitions (with their group commit) and service. */
  record Node(Database db, Transitions transitions, TaskService service) {}

  /** A create's answer: 200 with its task, or the error's status and message. */
  record Answer(int status, String taskId, String message) {}

  final List<Node> nodes = new ArrayList<>();

  void start(int count, int maxPendingPerKey) throws Exception {
    assumeThat(count == 1 || TestDatabases.postgresql()).as("several nodes need PostgreSQL").isTrue();
    Path dir = Files.createTempDirectory("refrain-admission-");
    String url = TestDatabases.url(dir);
    Links links = new Links("http://localhost");
    for (int i = 0; i < count; i++) {
      Database db = Database.open(url);
      Transitions transitions = new Transitions(db, links, () -> {}, new TaskWatch());
      TaskService service = new TaskService(db, transitions, new Pricing(Config.fromMap(Map.of()).unitsPerSecond(), 240),
          new Uploads(db, new DiskBlobStore(dir.resolve("files")), links, Duration.ofHours(1)), new DiskSpace(dir, 0),
          new TaskService.Settings(new TaskRequest.Limits(240, 1 << 20), maxPendingPerKey, Duration.ofDays(1), host -> Optional.empty()),
          type -> Optional.of("e"), () -> {});
      nodes.add(new Node(db, transitions, service));
    }
  }

  @AfterEach
  void close() {
    nodes.forEach(n -> n.db().close());
  }

  Database db() {
    return nodes.get(0).db();
  }

  KeyRecord key(Long credit) {
    return new ApiKeys(db()).create("k", credit, 100_000, false).record();
  }

  /** Makes {@code n} creates at once, spread over the nodes; {@code idempotencyKey} and {@code body} by index. */
  List<Answer> createAtOnce(KeyRecord key, int n, IntFunction<String> idempotencyKey, IntFunction<String> body) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> futures = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        TaskService service = nodes.get(i % nodes.size()).service();
        byte[] bytes = body.apply(i).getBytes(StandardCharsets.UTF_8);
        String idem = idempotencyKey.apply(i);
        futures.add(clients.submit(() -> {
          go.await();
          try {
            return new Answer(200, service.create(key, bytes, idem, "http://localhost").id(), null);
          } catch (ApiError e) {
            return new Answer(e.status(), null, e.getMessage());
          }
        }));
      }
      go.countDown();
      List<Answer> out = new ArrayList<>();
      for (Future<Answer> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
      return out;
    }
  }

  static Map<Integer, Long> byStatus(List<Answer> answers) {
    return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
  }

  List<LedgerStore.Entry> ledger(KeyRecord key) {
    return db().read(c -> new LedgerStore().forKey(c, key.id()));
  }

  long balance(KeyRecord key) {
    return new ApiKeys(db()).fresh(key.id()).orElseThrow().balance();
  }

  long[] activeCounts(KeyRecord key) {
    return db().read(c -> new TaskStore().activeCounts(c, key.id()));
  }

  /** Claims every pending task on the nodes in turn and completes each from its own thread, costing {@code consumed}. */
  void runAll(int tasks, long consumed) throws Exception {
    List<Future<Boolean>> done = new ArrayList<>();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      int claimed = 0;
      for (int round = 0; claimed < tasks; round++) {
        assertThat(round).as("every task claimed").isLessThan(1_000);
        Node node = nodes.get(round % nodes.size());
        String name = "node-" + (round % nodes.size());
        for (TaskRow t : node.transitions().claim(name, "e", 10, 60_000_000, 100_000, 3, (id, type, c) -> true)) {
          claimed++;
          done.add(workers.submit(() -> node.transitions().complete(t, name, TransitionsTest.OUTPUT, consumed, List.of())));
        }
      }
      for (Future<Boolean> f : done) assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Every task of the key held, released and charged once; the ledger sums to the balance, which no row took below zero. */
  void assertLedgerBalances(KeyRecord key, long expectedBalance) {
    List<LedgerStore.Entry> ledger = ledger(key);
    assertThat(balance(key)).isEqualTo(expectedBalance);
    assertThat(ledger.stream().mapToLong(LedgerStore.Entry::units).sum()).isEqualTo(expectedBalance);
    assertThat(ledger).allSatisfy(e -> assertThat(e.balanceAfter()).as("balance after ledger row %s", e.id()).isNotNegative());
    assertThat(ledger.get(ledger.size() - 1).balanceAfter()).isEqualTo(expectedBalance);
    Map<String, List<String>> kinds = ledger.stream().filter(e -> e.taskId() != null)
        .collect(Collectors.groupingBy(LedgerStore.Entry::taskId, Collectors.mapping(LedgerStore.Entry::kind, Collectors.toList())));
    assertThat(kinds.values()).allSatisfy(k -> assertThat(k).containsExactly("hold", "release", "charge"));
  }

  @ParameterizedTest(name = "{0} node(s)")
  @ValueSource(ints = {1, 2})
  void concurrentCreatesOfALimitedKeyTakeExactlyTheHoldsItsBalanceCovers(int nodeCount) throws Exception {
    start(nodeCount, 1_000);
    KeyRecord key = key(7 * PRICE + 30_000);
    List<Answer> answers = createAtOnce(key, CREATES, i -> null, i -> BODY);
    assertThat(byStatus(answers)).isEqualTo(Map.of(200, 7L, 402, (long) CREATES - 7));
    assertThat(answers).filteredOn(a -> a.status() == 402)
        .allSatisfy(a -> assertThat(a.message()).startsWith("insufficient credits: this task holds 50000 units"));
    assertThat(balance(key)).isEqualTo(30_000);
    List<LedgerStore.Entry> ledger = ledger(key);
    assertThat(ledger).extracting(LedgerStore.Entry::kind).containsExactly("credit", "hold", "hold", "hold", "hold", "hold", "hold", "hold");
    assertThat(ledger.stream().mapToLong(LedgerStore.Entry::units).sum()).isEqualTo(30_000);
    assertThat(ledger).allSatisfy(e -> assertThat(e.balanceAfter()).isNotNegative());
    assertThat(ledger.stream().map(LedgerStore.Entry::taskId).filter(id -> id != null).collect(Collectors.toSet()))
        .isEqualTo(answers.stream().filter(a -> a.status() == 200).map(Answer::taskId).collect(Collectors.toSet()));
    assertThat(activeCounts(key)).containsExactly(7, 0);

    // The tasks end on every node at once, each costing less than it held.
    runAll(7, 20_000);
    assertThat(activeCounts(key)).containsExactly(0, 0);
    assertLedgerBalances(key, 30_000 + 7 * (PRICE - 20_000));
  }

  @ParameterizedTest(name = "{0} node(s)")
  @ValueSource(ints = {1, 2})
  void thePendingCapAdmitsExactlyItsLimitUnderConcurrentCreates(int nodeCount) throws Exception {
    start(nodeCount, 20);
    KeyRecord unlimited = key(null);
    KeyRecord prepaid = key(100 * PRICE);
    List<Answer> a = createAtOnce(unlimited, CREATES, i -> null, i -> BODY);
    assertThat(byStatus(a)).isEqualTo(Map.of(200, 20L, 429, (long) CREATES - 20));
    assertThat(a).filteredOn(x -> x.status() == 429).allSatisfy(x -> assertThat(x.message()).contains("too many pending tasks"));
    assertThat(activeCounts(unlimited)).containsExactly(20, 0);
    assertThat(ledger(unlimited)).as("an unlimited key takes no holds").isEmpty();
    assertThat(balance(unlimited)).isZero();

    List<Answer> b = createAtOnce(prepaid, CREATES, i -> null, i -> BODY);
    assertThat(byStatus(b)).isEqualTo(Map.of(200, 20L, 429, (long) CREATES - 20));
    assertThat(activeCounts(prepaid)).containsExactly(20, 0);
    assertThat(balance(prepaid)).as("a refused create holds nothing").isEqualTo(80 * PRICE);

    runAll(40, PRICE);
    assertLedgerBalances(prepaid, 80 * PRICE);
    assertThat(ledger(unlimited)).extracting(LedgerStore.Entry::kind).as("an unlimited key's charges, as usage").hasSize(20).containsOnly("charge");
    assertThat(balance(unlimited)).as("an unlimited key keeps no balance").isZero();
  }

  @ParameterizedTest(name = "{0} node(s)")
  @ValueSource(ints = {1, 2})
  void concurrentIdenticalRequestsWithOneIdempotencyKeyMakeOneTask(int nodeCount) throws Exception {
    start(nodeCount, 1_000);
    KeyRecord key = key(10 * PRICE);
    List<Answer> same = createAtOnce(key, CREATES, i -> "same", i -> BODY);
    assertThat(byStatus(same)).isEqualTo(Map.of(200, (long) CREATES));
    assertThat(same.stream().map(Answer::taskId).distinct()).hasSize(1);
    assertThat(activeCounts(key)).containsExactly(1, 0);
    assertThat(balance(key)).as("one hold").isEqualTo(9 * PRICE);

    // Half the requests with one body, half with another, under one idempotency key: whichever body
    // came first made the one task; every request with it gets that task, every other one 409.
    List<Answer> mixed = createAtOnce(key, CREATES, i -> "mixed", i -> i % 2 == 0 ? BODY : OTHER_BODY);
    assertThat(byStatus(mixed)).isEqualTo(Map.of(200, (long) CREATES / 2, 409, (long) CREATES / 2));
    Set<Integer> parity = new HashSet<>();
    for (int i = 0; i < CREATES; i++) if (mixed.get(i).status() == 200) parity.add(i % 2);
    assertThat(parity).as("the requests answered 200 all had one body").hasSize(1);
    assertThat(mixed.stream().map(Answer::taskId).filter(id -> id != null).distinct()).hasSize(1);
    assertThat(mixed).filteredOn(x -> x.status() == 409)
        .allSatisfy(x -> assertThat(x.message()).isEqualTo("Idempotency-Key 'mixed' was already used with a different request body"));
    assertThat(activeCounts(key)).containsExactly(2, 0);

    runAll(2, PRICE);
    assertLedgerBalances(key, 8 * PRICE);
  }

  static TaskRow row(KeyRecord key, String model, long frozen) {
    return new TaskRow(UUID.randomUUID().toString(), key.id(), model, "txt2audio", "pending", "e", "{}", "{}",
        null, null, null, 0, null, null, "[]", 0, null, 1, Clock.nowMicros(), 0, 0, frozen, 0, null, null, 0, null, 0, 0, null);
  }

  @Test
  void aBrokenCreateFailsOnlyItselfAndARefusedOneDoesNotHoldUpTheRest() throws Exception {
    start(1, 1_000);
    Database db = db();
    KeyRecord key = key(9 * PRICE + 1); // enough for the broken one too, so it is admitted and inserted, whatever the order
    TaskAdmission admission = new TaskAdmission(db, nodes.get(0).transitions(), 1_000, Duration.ofDays(1));
    GroupCommit<TaskRow, TaskAdmission.Outcome> batches = new GroupCommit<>(db, "test-batches", TaskAdmission.MAX_BATCH, admission::admitAll);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      // Another create of the key holds its lock (PostgreSQL) or the writer's (SQLite), so the
      // first batch waits in its transaction while the others queue up behind it, to go as one.
      Future<?> blocker = pool.submit(() -> db.tx(c -> {
        new LedgerStore().lockKeys(c, db.dialect(), List.of(key.id()));
        held.countDown();
        try {
          assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return null;
      }));
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      List<TaskRow> rows = new ArrayList<>();
      rows.add(row(key, "Qubico/ace-step", PRICE)); // the first batch, alone
      for (int i = 0; i < 7; i++) rows.add(row(key, "Qubico/ace-step", PRICE));
      TaskRow broken = row(key, null, PRICE); // NOT NULL model: its insert fails, and with it the batch's transaction
      TaskRow tooDear = row(key, "Qubico/ace-step", 10 * PRICE); // more than the key ever has
      rows.add(broken);
      rows.add(tooDear);
      List<Future<TaskAdmission.Outcome>> outcomes = new ArrayList<>();
      outcomes.add(pool.submit(() -> batches.submit(rows.get(0))));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (batches.queued() < 1) {
        assertThat(System.nanoTime()).isLessThan(end);
        Thread.sleep(1);
      }
      for (TaskRow r : rows.subList(1, rows.size())) outcomes.add(pool.submit(() -> batches.submit(r)));
      while (batches.queued() < rows.size()) {
        assertThat(System.nanoTime()).as("every create queued").isLessThan(end);
        Thread.sleep(1);
      }
      release.countDown();
      blocker.get(30, TimeUnit.SECONDS);
      for (int i = 0; i < rows.size(); i++) {
        TaskRow r = rows.get(i);
        Future<TaskAdmission.Outcome> o = outcomes.get(i);
        if (r == broken) {
          assertThatThrownBy(() -> o.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
        } else if (r == tooDear) {
          assertThat(o.get(30, TimeUnit.SECONDS)).isInstanceOf(TaskAdmission.Outcome.Insufficient.class);
        } else {
          assertThat(o.get(30, TimeUnit.SECONDS)).isEqualTo(new TaskAdmission.Outcome.Created(r));
        }
      }
    }
    assertThat(activeCounts(key)).containsExactly(8, 0);
    assertThat(balance(key)).isEqualTo(PRICE + 1);
    assertThat(ledger(key)).extracting(LedgerStore.Entry::kind).containsExactly("credit", "hold", "hold", "hold", "hold", "hold", "hold", "hold", "hold");
    assertThat(ledger(key).stream().mapToLong(LedgerStore.Entry::units).sum()).isEqualTo(PRICE + 1);
  }
}
