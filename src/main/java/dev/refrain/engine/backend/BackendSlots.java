package dev.refrain.engine.backend;

import dev.refrain.core.TaskType;
import dev.refrain.engine.Claim;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.Slot;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may take work now: hands out job places on the backends, in order of preference among those
 * in rotation that serve the task type, so no backend ever gets more jobs than its slots. This
 * node's jobs are counted on each {@link Backend}; on a cluster the {@link Fleet} leases every place
 * from the slots all nodes share, and keeps health shared. A backend that fails twice in a row
 * (probes or jobs) leaves the rotation until it succeeds again.
 */
final class BackendSlots {
  // Logged under the pool's name, the one operators know these lines by.
  private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
  private static final long WAIT_STEP_MILLIS = 50;

  private final List<Backend> backends;
  private final Fleet fleet;
  private volatile Runnable onCapacity = () -> {};

  BackendSlots(List<Backend> backends, Fleet fleet) {
    this.backends = backends;
    this.fleet = fleet;
  }

  /** Called whenever capacity frees up or a backend comes back, so waiting work is claimed at once. */
  void onCapacity(Runnable listener) {
    this.onCapacity = listener;
  }

  /** Whether some backend serves the type: tasks of it are routed here, whichever nodes may run them. */
  boolean serves(TaskType type) {
    return backends.stream().anyMatch(b -> b.serves.contains(type));
  }

  /** How many jobs this node could start now; on a cluster, other nodes may have taken some of those slots. */
  int freeSlots() {
    long now = System.nanoTime();
    int free = 0;
    for (Backend b : backends) free += b.free(now);
    return free;
  }

  Optional<Slot> acquire(Claim claim) {
    return take(claim.type(), Set.of(), claim.taskId(), claim.transaction(), claim.exhausted())
        .map(b -> new PoolSlot(b, claim.taskId()));
  }

  /**
   * The most preferred backend not in {@code avoid} that can take the type now, its place leased
   * for the task (in {@code claim}, when given). Backends found full are added to {@code exhausted}.
   */
  private Optional<Backend> take(TaskType type, Set<Backend> avoid, String taskId, Connection claim, Set<String> exhausted) {
    for (Backend b : backends) {
      if (avoid.contains(b) || exhausted.contains(b.name()) || !b.take(type, System.nanoTime())) continue;
      if (fleet.lease(b, taskId, claim)) return Optional.of(b);
      b.untake();
      exhausted.add(b.name());
    }
    return Optional.empty();
  }

  private void release(Backend b, String taskId) {
    b.untake();
    fleet.release(b, taskId);
    onCapacity.run();
  }

  /** The backend said it is full: it takes no new job until {@code wait} has passed. */
  void backOff(Backend b, Duration wait) {
    fleet.pause(b, wait);
  }

  /** 1 while the backend is in rotation, 0 while failures keep it out. */
  double up(Backend b) {
    return b.healthy() ? 1 : 0;
  }

  /** A passed probe or a finished job; a backend out of rotation comes back. */
  void succeeded(Backend b) {
    if (fleet.succeeded(b)) {
      log.info("backend {} is healthy again", b.name());
      onCapacity.run();
    }
  }

  /** A failed probe or job; the second in a row takes the backend out of rotation. */
  void failed(Backend b, String why) {
    if (fleet.failed(b, why)) log.warn("backend {} taken out of rotation: {}", b.name(), why);
  }

  /** Whether this node probes the backend this round. */
  boolean probeTurn(Backend b, Duration interval) {
    return b.here && fleet.probeTurn(b, interval);
  }

  /** The slot a task holds; it may move to another backend when its attempt there fails. */
  final class PoolSlot implements Slot {
    private final String taskId;
    private Backend backend;
    private boolean closed;

    PoolSlot(Backend backend, String taskId) {
      this.backend = backend;
      this.taskId = taskId;
    }

    @Override
    public synchronized String describe() {
      return backend.settings.kind() + " " + backend.name();
    }

    synchronized Backend backend() {
      return backend;
    }

    /** Gives the backend's capacity back before the task ends; {@link #close} then has nothing left to return. */
    synchronized void releaseEarly() {
      close();
    }

    /** Takes a slot again after an early release, waiting while none is free. */
    void reacquire(TaskType type, EngineContext ctx) throws InterruptedException {
      Instant giveUp = Instant.now().plus(backend().settings.timeout());
      while (true) {
        ctx.checkCancelled();
        Optional<Backend> next = take(type, Set.of(), taskId, null, new HashSet<>());
        if (next.isPresent()) {
          synchronized (this) {
            backend = next.get();
            closed = false;
          }
          return;
        }
        if (Instant.now().isAfter(giveUp)) throw new IllegalStateException("no backend could take the task again");
        Thread.sleep(WAIT_STEP_MILLIS);
      }
    }

    /**
     * Moves to a backend that can take the task and is not in {@code avoid}; stays on the current
     * one when it is fit again and no other is free. Waits while neither holds; the current slot is
     * kept meanwhile so the task does not lose its place.
     */
    void moveOrWait(TaskType type, Set<Backend> avoid, EngineContext ctx) throws InterruptedException {
      Instant giveUp = Instant.now().plus(backend().settings.timeout());
      while (true) {
        ctx.checkCancelled();
        Backend current = backend();
        Set<Backend> others = new HashSet<>(avoid);
        others.add(current);
        Optional<Backend> next = take(type, others, taskId, null, new HashSet<>());
        if (next.isPresent()) {
          moveTo(next.get());
          return;
        }
        if (current.fit(System.nanoTime())) return;
        if (Instant.now().isAfter(giveUp)) {
          throw new IllegalStateException("no backend could take the task within " + backend().settings.timeout().toSeconds() + " s");
        }
        Thread.sleep(WAIT_STEP_MILLIS);
      }
    }

    private synchronized void moveTo(Backend next) {
      Backend old = backend;
      backend = next;
      release(old, taskId);
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(backend, taskId);
      }
    }
  }
}
