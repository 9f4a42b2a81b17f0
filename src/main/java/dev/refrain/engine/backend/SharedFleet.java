package dev.refrain.engine.backend;

import dev.refrain.core.Signal;
import dev.refrain.store.BackendStore;
import dev.refrain.store.Channel;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends as the nodes of a PostgreSQL cluster share them (see {@link BackendStore}): a slot
 * is a leased row, renewed here while this node holds it and freed the moment the backend is done;
 * a node that dies stops renewing and its slots come free when their leases run out. Each backend's
 * health is one row for all nodes, mirrored into this node's {@link Backend}s four times a second.
 */
final class SharedFleet implements Fleet {
  private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
  private static final long MIRROR_MILLIS = 250;

  /** A slot this node holds, by backend and task. */
  private record Held(String backend, String taskId) {}

  private final Database db;
  private final String owner;
  private final long leaseMicros;
  private final List<Backend> backends;
  private final BackendStore store = new BackendStore();
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param owner this node's lease owner id, as on the tasks it runs
   * @param lease how long a slot stays held without renewal (REFRAIN_LEASE, as for tasks)
   */
  SharedFleet(Database db, String owner, Duration lease, List<Backend> backends) {
    this.db = db;
    this.owner = owner;
    this.leaseMicros = lease.toNanos() / 1_000;
    this.backends = backends;
    db.tx(c -> {
      for (Backend b : backends) if (b.here) store.register(c, b.name(), b.settings.slots());
      return null;
    });
    mirror();
    long renewEvery = Math.max(50, lease.toMillis() / 3);
    this.thread = Thread.ofPlatform().daemon().name("backend-fleet")
        .start(() -> loop(Math.min(MIRROR_MILLIS, renewEvery), renewEvery));
  }

  /** Refreshes the health this node sees every tick, and renews its slots every third of the lease. */
  private void loop(long tick, long renewEvery) {
    long renewed = System.nanoTime();
    while (!closed) {
      Signal.pause(tick);
      if (closed) return;
      try {
        if (System.nanoTime() - renewed >= renewEvery * 1_000_000) {
          renewed = System.nanoTime();
          Set<String> tasks = held.stream().map(Held::taskId).collect(Collectors.toSet());
          if (!tasks.isEmpty()) db.tx(c -> store.renew(c, owner, tasks, Clock.nowMicros() + leaseMicros));
        }
        mirror();
      } catch (RuntimeException e) {
        log.warn("could not renew backend slots or read backend health; retrying", e);
      }
    }
  }

  private void mirror() {
    Map<String, BackendStore.Health> all = new HashMap<>();
    for (BackendStore.Health h : db.read(store::health)) all.put(h.backend(), h);
    long micros = Clock.nowMicros();
    long nanos = System.nanoTime();
    for (Backend b : backends) {
      BackendStore.Health h = all.get(b.name());
      if (h == null) continue; // only nodes that may use a backend register it
      boolean was = b.healthy();
      b.mirror(h, micros, nanos);
      if (was != h.healthy()) log.info("backend {} is {} (seen by another node)", b.name(), h.healthy() ? "healthy again" : "out of rotation: " + h.problem());
    }
  }

  @Override
  public boolean lease(Backend b, String taskId, Connection claim) {
    long now = Clock.nowMicros();
    boolean taken = claim != null
        ? leaseIn(claim, b, taskId, now)
        : db.tx(c -> leaseIn(c, b, taskId, now));
    if (taken) held.add(new Held(b.name(), taskId));
    return taken;
  }

  private boolean leaseIn(Connection c, Backend b, String taskId, long now) {
    try {
      return store.lease(c, b.name(), b.settings.slots(), owner, taskId, now, now + leaseMicros);
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e); // the claim's transaction rolls back with it
    }
  }

  @Override
  public void release(Backend b, String taskId) {
    held.remove(new Held(b.name(), taskId));
    try {
      // No wake-up for the other nodes: this one claims the next task for the slot itself (its
      // caller signals its dispatcher), and the others would only race it to the same row.
      db.tx(c -> store.release(c, b.name(), owner, taskId));
    } catch (RuntimeException e) {
      log.warn("could not free backend {}'s slot; its lease runs out on its own", b.name(), e);
    }
  }

  @Override
  public boolean failed(Backend b, String why) {
    try {
      BackendStore.Health h = db.tx(c -> store.failed(c, b.name(), why, Backend.FAILURES_TO_SICK));
      b.mirror(h, Clock.nowMicros(), System.nanoTime());
      return !h.healthy() && h.failures() == Backend.FAILURES_TO_SICK;
    } catch (RuntimeException e) {
      log.warn("could not record backend {}'s failure for the cluster", b.name(), e);
      return b.failed();
    }
  }

  @Override
  public boolean succeeded(Backend b) {
    b.succeeded();
    try {
      return db.tx(c -> {
        boolean back = store.succeeded(c, b.name());
        if (back) db.notifyOnCommit(c, Channel.DISPATCH, "");
        return back;
      });
    } catch (RuntimeException e) {
      log.warn("could not record backend {}'s success for the cluster", b.name(), e);
      return false;
    }
  }

  @Override
  public void pause(Backend b, Duration wait) {
    b.pauseUntil(System.nanoTime() + wait.toNanos());
    try {
      db.tx(c -> {
        store.pause(c, b.name(), Clock.nowMicros() + wait.toNanos() / 1_000);
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("could not pause backend {} for the cluster", b.name(), e);
    }
  }

  @Override
  public boolean probeTurn(Backend b, Duration interval) {
    try {
      // A little under the interval, so that the nodes' rounds drifting apart never skip one.
      return db.tx(c -> store.probeTurn(c, b.name(), Clock.nowMicros(), interval.toNanos() / 1_000 * 9 / 10));
    } catch (RuntimeException e) {
      return true; // probing twice is better than not at all
    }
  }

  /** Stops renewing and frees what this node still holds, so other nodes need not wait for the leases to run out. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      db.tx(c -> {
        if (store.releaseAll(c, owner) > 0) db.notifyOnCommit(c, Channel.DISPATCH, "");
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("could not free this node's backend slots; their leases run out on their own", e);
    }
  }
}
