package dev.refrain.engine.backend;

import dev.refrain.config.BackendSettings;
import dev.refrain.core.TaskType;
import dev.refrain.store.BackendStore;
import java.util.EnumSet;
import java.util.Set;

/**
 * One configured backend and what this node knows of it now: the jobs it runs there, its health,
 * and a pause after it said it was full. On a cluster the health is the cluster's, mirrored here
 * (see {@link Fleet}). Mutable state is guarded by this object's monitor.
 */
final class Backend {
  /** Consecutive failures (probes or attempts) that take a backend out of rotation. */
  static final int FAILURES_TO_SICK = 2;

  final BackendSettings settings;
  final BackendClient client;
  final Set<TaskType> serves;
  /** Whether this node may send it work (REFRAIN_BACKEND_<NAME>_NODES); every node routes tasks to it all the same. */
  final boolean here;
  private int busy;
  private boolean healthy = true;
  private int failures;
  private long pausedUntilNanos;

  Backend(BackendSettings settings, BackendClient client, String node) {
    this.settings = settings;
    this.client = client;
    this.here = settings.nodes().isEmpty() || settings.nodes().contains(node);
    Set<TaskType> types = EnumSet.noneOf(TaskType.class);
    for (TaskType t : TaskType.values()) {
      boolean listed = settings.taskTypes().contains(t.wire());
      if (client.supports().contains(t) ? settings.taskTypes().isEmpty() || listed : client.optIn().contains(t) && listed) types.add(t);
    }
    this.serves = Set.copyOf(types);
  }

  String name() {
    return settings.name();
  }

  /** Free, as far as this node knows, to start a job of this type now. */
  synchronized boolean canTake(TaskType type, long now) {
    return here && serves.contains(type) && fit(now) && busy < settings.slots();
  }

  /** Jobs of any type this node could start on it now, as far as it knows. */
  synchronized int free(long now) {
    return here && !serves.isEmpty() && fit(now) ? Math.max(0, settings.slots() - busy) : 0;
  }

  /** Counts a job of this node on it, if {@link #canTake} holds. */
  synchronized boolean take(TaskType type, long now) {
    if (!canTake(type, now)) return false;
    busy++;
    return true;
  }

  synchronized void untake() {
    busy--;
  }

  /** In rotation and not paused. */
  synchronized boolean fit(long now) {
    return healthy && now >= pausedUntilNanos;
  }

  synchronized boolean healthy() {
    return healthy;
  }

  synchronized void pauseUntil(long nanos) {
    pausedUntilNanos = Math.max(pausedUntilNanos, nanos);
  }

  /** A failure: returns true when it just took the backend out of rotation. */
  synchronized boolean failed() {
    failures++;
    if (healthy && failures >= FAILURES_TO_SICK) {
      healthy = false;
      return true;
    }
    return false;
  }

  /** A success: returns true when it just put the backend back. */
  synchronized boolean succeeded() {
    failures = 0;
    if (!healthy) {
      healthy = true;
      return true;
    }
    return false;
  }

  /**
   * Takes the cluster's view of the backend as this node's. {@code nowMicros} and {@code nowNanos}
   * are the same instant on the two clocks: pauses are kept in wall time in the store.
   */
  synchronized void mirror(BackendStore.Health h, long nowMicros, long nowNanos) {
    healthy = h.healthy();
    failures = h.failures();
    pausedUntilNanos = h.pausedUntil() > nowMicros ? nowNanos + (h.pausedUntil() - nowMicros) * 1_000 : nowNanos;
  }

  static BackendClient clientFor(BackendSettings s, java.time.Duration pollInterval) {
    return switch (s.kind()) {
      case "acestep-api" -> new AceStepApiClient(s.url(), s.apiKey(), pollInterval);
      case "acestep-cpp" -> new AceServerClient(s.url(), s.apiKey());
      case "piapi" -> new PiapiClient(s.url(), s.apiKey(), pollInterval);
      default -> throw new IllegalArgumentException("unknown backend kind " + s.kind());
    };
  }
}
