package dev.refrain.engine.backend;

import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.Slot;
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
 * in rotation that serve the task type, so no backend ever gets more jobs than its slots. Keeps
 * each backend's busy slots, health and back-off under one lock; a backend that fails twice in a
 * row (probes or jobs) leaves the rotation until it succeeds again.
 */
final class BackendSlots {
  // Logged under the pool's name, the one operators know these lines by.
  private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
  private static final long WAIT_STEP_MILLIS = 50;

  private final List<Backend> backends;
  private final Object lock = new Object();
  private volatile Runnable onCapacity = () -> {};

  BackendSlots(List<Backend> backends) {
    this.backends = backends;
  }

  /** Called whenever capacity frees up or a backend comes back, so waiting work is claimed at once. */
  void onCapacity(Runnable listener) {
    this.onCapacity = listener;
  }

  boolean serves(TaskType type) {
    return backends.stream().anyMatch(b -> b.serves.contains(type));
  }

  boolean hasFreeSlot() {
    long now = System.nanoTime();
    synchronized (lock) {
      for (Backend b : backends) {
        for (TaskType t : b.serves) if (b.canTake(t, now)) return true;
      }
    }
    return false;
  }

  Optional<Slot> acquire(TaskType type) {
    return take(type, Set.of()).map(PoolSlot::new);
  }

  /** The most preferred backend that can take the type now, avoiding {@code avoid} when another can. */
  private Optional<Backend> take(TaskType type, Set<Backend> avoid) {
    long now = System.nanoTime();
    synchronized (lock) {
      Backend fallback = null;
      for (Backend b : backends) {
        if (!b.canTake(type, now)) continue;
        if (!avoid.contains(b)) {
          b.busy++;
          return Optional.of(b);
        }
        if (fallback == null) fallback = b;
      }
      if (fallback != null) fallback.busy++;
      return Optional.ofNullable(fallback);
    }
  }

  private void release(Backend b) {
    synchronized (lock) {
      b.busy--;
    }
    onCapacity.run();
  }

  /** The backend said it is full: it takes no new job until {@code wait} has passed. */
  void backOff(Backend b, Duration wait) {
    synchronized (lock) {
      b.backoffUntilNanos = System.nanoTime() + wait.toNanos();
    }
  }

  /** 1 while the backend is in rotation, 0 while failures keep it out. */
  double up(Backend b) {
    synchronized (lock) {
      return b.healthy ? 1 : 0;
    }
  }

  /** A passed probe or a finished job; a backend out of rotation comes back. */
  void succeeded(Backend b) {
    boolean back;
    synchronized (lock) {
      back = b.succeeded();
    }
    if (back) {
      log.info("backend {} is healthy again", b.name());
      onCapacity.run();
    }
  }

  /** A failed probe or job; the second in a row takes the backend out of rotation. */
  void failed(Backend b, String why) {
    boolean out;
    synchronized (lock) {
      out = b.failed(why);
    }
    if (out) log.warn("backend {} taken out of rotation: {}", b.name(), why);
  }

  /** The slot a task holds; it may move to another backend when its attempt there fails. */
  final class PoolSlot implements Slot {
    private Backend backend;
    private boolean closed;

    PoolSlot(Backend backend) {
      this.backend = backend;
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
      if (!closed) {
        closed = true;
        release(backend);
      }
    }

    /** Takes a slot again after an early release, waiting while none is free. */
    void reacquire(TaskType type, EngineContext ctx) throws InterruptedException {
      Instant giveUp = Instant.now().plus(backend().settings.timeout());
      while (true) {
        ctx.checkCancelled();
        Optional<Backend> next = take(type, Set.of());
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
     * Moves to a backend that can take the task, preferring one not in {@code avoid}; stays on the
     * current one when it is fit again and no other is free. Waits while neither holds; the current
     * slot is kept meanwhile so the task does not lose its place.
     */
    void moveOrWait(TaskType type, Set<Backend> avoid, EngineContext ctx) throws InterruptedException {
      Instant giveUp = Instant.now().plus(backend().settings.timeout());
      while (true) {
        ctx.checkCancelled();
        Backend current = backend();
        Set<Backend> others = new HashSet<>(avoid);
        others.add(current);
        Optional<Backend> next = take(type, others);
        if (next.isPresent() && !others.contains(next.get())) {
          moveTo(next.get());
          return;
        }
        next.ifPresent(BackendSlots.this::release); // only an avoided backend was free: keep our own slot instead
        synchronized (lock) {
          if (current.healthy && System.nanoTime() >= current.backoffUntilNanos) return;
        }
        if (Instant.now().isAfter(giveUp)) {
          throw new IllegalStateException("no backend could take the task within " + backend().settings.timeout().toSeconds() + " s");
        }
        Thread.sleep(WAIT_STEP_MILLIS);
      }
    }

    private synchronized void moveTo(Backend next) {
      Backend old = backend;
      backend = next;
      if (old != next) release(old);
      else synchronized (lock) {
        next.busy--; // taken twice: keep one
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(backend);
      }
    }
  }
}
