package dev.refrain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real database (SQLite or PostgreSQL, see TestDatabases): callers waiting
 * together share one transaction, each gets its own result, and an item that fails its batch fails
 * only itself. Batches are made deterministic by holding the leader inside its work until the
 * others are queued.
 */
class GroupCommitTest {
  static final int BLOCK = -1; // an item whose work waits for the test to release it

  Database db;
  final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch blocked = new CountDownLatch(1);

  @BeforeEach
  void open() throws Exception {
    db = Database.open(TestDatabases.url(Files.createTempDirectory("refrain-gc-")));
    db.tx(c -> {
      try (var s = c.createStatement()) {
        s.execute("CREATE TABLE gc_items (v INTEGER NOT NULL)");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    release.countDown();
    db.close();
  }

  /** Inserts each item (null breaks the NOT NULL column, and so the batch) and answers ten times it. */
  List<Integer> work(java.sql.Connection c, List<Integer> items) throws java.sql.SQLException {
    batchSizes.add(items.size());
    List<Integer> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO gc_items (v) VALUES (?)")) {
      for (Integer v : items) {
        if (v != null && v == BLOCK) {
          blocked.countDown();
          try {
            assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
        if (v == null) ps.setNull(1, Types.INTEGER);
        else ps.setInt(1, v);
        ps.executeUpdate();
        out.add(v == null ? null : v * 10);
      }
    }
    return out;
  }

  List<Integer> stored() {
    return db.read(c -> {
      List<Integer> out = new ArrayList<>();
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM gc_items ORDER BY v")) {
        while (rs.next()) out.add(rs.getInt(1));
      }
      return out;
    });
  }

  /** Submits BLOCK, waits till its work holds, then submits the items and waits till all are queued. */
  List<Future<Integer>> queueBehindABlockedLeader(GroupCommit<Integer, Integer> gc, ExecutorService pool, List<Integer> items)
      throws Exception {
    List<Future<Integer>> out = new ArrayList<>();
    out.add(pool.submit(() -> gc.submit(BLOCK)));
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
    for (Integer v : items) out.add(pool.submit(() -> gc.submit(v)));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gc.queued() < items.size() + 1) {
      assertThat(System.nanoTime()).as("every caller queued").isLessThan(end);
      Thread.sleep(1);
    }
    return out;
  }

  @Test
  void aLoneCallerRunsItsOwnWorkAtOnce() {
    GroupCommit<Integer, Integer> gc = new GroupCommit<>(db, "test-batches", 10, this::work);
    assertThat(gc.submit(4)).isEqualTo(40);
    assertThat(gc.submit(5)).isEqualTo(50);
    assertThat(batchSizes).containsExactly(1, 1);
    assertThat(gc.queued()).isZero();
  }

  @Test
  void callersWaitingTogetherShareOneTransactionAndABadItemFailsOnlyItself() throws Exception {
    GroupCommit<Integer, Integer> gc = new GroupCommit<>(db, "test-batches", 100, this::work);
    List<Integer> items = new ArrayList<>();
    for (int i = 1; i <= 9; i++) items.add(i);
    items.add(4, null);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> results = queueBehindABlockedLeader(gc, pool, items);
      release.countDown();
      assertThat(results.get(0).get()).isEqualTo(BLOCK * 10);
      for (int i = 0; i < items.size(); i++) {
        Integer v = items.get(i);
        Future<Integer> r = results.get(i + 1);
        if (v == null) {
          assertThatThrownBy(r::get).hasCauseInstanceOf(StoreException.class);
        } else {
          assertThat(r.get()).as("item %s", v).isEqualTo(v * 10);
        }
      }
    }
    // The leader alone, then the ten waiting as one batch, which failed, then each of them alone.
    assertThat(batchSizes).containsExactly(1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertThat(stored()).containsExactly(BLOCK, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void aBatchTakesAtMostTheLimitAndEveryCallerGetsItsOwnResult() throws Exception {
    GroupCommit<Integer, Integer> gc = new GroupCommit<>(db, "test-batches", 3, this::work);
    List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> results = queueBehindABlockedLeader(gc, pool, items);
      release.countDown();
      for (int i = 0; i < items.size(); i++) assertThat(results.get(i + 1).get()).isEqualTo(items.get(i) * 10);
    }
    assertThat(batchSizes).containsExactly(1, 3, 3, 1);
    assertThat(stored()).containsExactly(BLOCK, 1, 2, 3, 4, 5, 6, 7);
  }
}
