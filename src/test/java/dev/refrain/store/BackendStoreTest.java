package dev.refrain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A backend's slots and health as rows every node of a PostgreSQL cluster shares. Skipped on SQLite, which has one node. */
class BackendStoreTest {
  static final long SECOND = 1_000_000;
  final BackendStore store = new BackendStore();
  Database db;

  @BeforeEach
  void open() throws Exception {
    assumeThat(TestDatabases.postgresql()).as("backend slots are shared through PostgreSQL").isTrue();
    db = Database.open(TestDatabases.url(Files.createTempDirectory("backend-store")));
    db.tx(c -> {
      store.register(c, "gpu", 2);
      store.register(c, "gpu", 2); // every node registers at start: the second changes nothing
      return null;
    });
  }

  @AfterEach
  void close() {
    if (db != null) db.close();
  }

  boolean lease(String node, String task, long now) {
    return db.<Boolean>tx(c -> store.lease(c, "gpu", 2, node, task, now, now + 30 * SECOND));
  }

  @Test
  void aBackendLeasesNoMoreThanItsSlotsAndAReleasedSlotIsFreeAgain() {
    long now = Clock.nowMicros();
    assertThat(lease("a", "t1", now)).isTrue();
    assertThat(lease("b", "t2", now)).isTrue();
    assertThat(lease("c", "t3", now)).as("both slots held").isFalse();
    assertThat(db.<Boolean>tx(c -> store.release(c, "gpu", "b", "t1"))).as("not b's slot").isFalse();
    assertThat(db.<Boolean>tx(c -> store.release(c, "gpu", "a", "t1"))).isTrue();
    assertThat(lease("c", "t3", now)).isTrue();
    db.tx(c -> {
      store.register(c, "gpu", 3); // a node told of three slots: the others still count two
      return null;
    });
    assertThat(lease("d", "t4", now)).isFalse();
    assertThat(db.<Boolean>tx(c -> store.lease(c, "gpu", 3, "e", "t4", now, now + SECOND))).isTrue();
  }

  @Test
  void aLeaseNotRenewedRunsOutAndTheSlotGoesToWhoeverAsksNext() {
    long now = Clock.nowMicros();
    assertThat(db.<Boolean>tx(c -> store.lease(c, "gpu", 1, "dead", "t1", now, now + SECOND))).isTrue();
    assertThat(db.<Boolean>tx(c -> store.lease(c, "gpu", 1, "b", "t2", now + SECOND / 2, now + 30 * SECOND))).isFalse();
    assertThat(db.<Integer>tx(c -> store.renew(c, "dead", List.of("t1"), now + 2 * SECOND))).isEqualTo(1);
    assertThat(db.<Boolean>tx(c -> store.lease(c, "gpu", 1, "b", "t2", now + SECOND + 1, now + 30 * SECOND))).as("renewed").isFalse();
    assertThat(db.<Boolean>tx(c -> store.lease(c, "gpu", 1, "b", "t2", now + 2 * SECOND + 1, now + 30 * SECOND))).as("ran out").isTrue();
    assertThat(db.<Boolean>tx(c -> store.release(c, "gpu", "dead", "t1"))).as("the dead node's late release frees nothing").isFalse();
    assertThat(db.<Integer>tx(c -> store.releaseAll(c, "b"))).isEqualTo(1);
  }

  @Test
  void twoFailuresInARowFromAnyNodesTakeTheBackendOutAndASuccessBringsItBack() {
    long now = Clock.nowMicros();
    BackendStore.Health first = db.tx(c -> store.failed(c, "gpu", "connection refused", 2));
    assertThat(first.healthy()).isTrue();
    assertThat(db.<Boolean>tx(c -> store.succeeded(c, "gpu"))).as("still in: nothing came back").isFalse();
    db.tx(c -> store.failed(c, "gpu", "connection refused", 2));
    BackendStore.Health out = db.tx(c -> store.failed(c, "gpu", "HTTP 500", 2));
    assertThat(out).isEqualTo(new BackendStore.Health("gpu", false, 2, "HTTP 500", 0));
    assertThat(lease("a", "t1", now)).as("no node sends work to a backend out of rotation").isFalse();
    assertThat(db.<Boolean>tx(c -> store.succeeded(c, "gpu"))).as("back").isTrue();
    assertThat(db.<Boolean>tx(c -> store.succeeded(c, "gpu"))).isFalse();
    assertThat(lease("a", "t1", now)).isTrue();
  }

  @Test
  void aPauseHoldsEveryNodeOffUntilItEnds() {
    long now = Clock.nowMicros();
    db.tx(c -> {
      store.pause(c, "gpu", now + 5 * SECOND);
      store.pause(c, "gpu", now + SECOND); // a shorter pause does not cut a longer one
      return null;
    });
    assertThat(lease("a", "t1", now + 4 * SECOND)).isFalse();
    assertThat(lease("a", "t1", now + 5 * SECOND)).isTrue();
  }

  @Test
  void eachProbeRoundGoesToOneNode() {
    long now = Clock.nowMicros();
    assertThat(db.<Boolean>tx(c -> store.probeTurn(c, "gpu", now, SECOND))).isTrue();
    assertThat(db.<Boolean>tx(c -> store.probeTurn(c, "gpu", now + SECOND / 2, SECOND))).isFalse();
    assertThat(db.<Boolean>tx(c -> store.probeTurn(c, "gpu", now + SECOND, SECOND))).isTrue();
  }

  @Test
  void leasesRacingFromManyConnectionsNeverHoldMoreThanTheSlots() throws Exception {
    AtomicInteger held = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> nodes = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      String node = "n" + n;
      nodes.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 40; i++) {
          String task = node + "-" + i;
          if (!lease(node, task, Clock.nowMicros())) continue;
          taken.incrementAndGet();
          most.accumulateAndGet(held.incrementAndGet(), Math::max);
          Thread.yield();
          held.decrementAndGet(); // before the release commits: the count is never behind the table
          assertThat(db.<Boolean>tx(c -> store.release(c, "gpu", node, task))).isTrue();
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : nodes) f.get();
    pool.shutdown();
    assertThat(most.get()).isBetween(1, 2);
    assertThat(taken.get()).isPositive();
    assertThat(db.<Integer>read(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM backend_slots WHERE lease_owner IS NOT NULL")) {
        rs.next();
        return rs.getInt(1);
      }
    })).isZero();
  }
}
