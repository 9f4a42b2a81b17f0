package dev.refrain.engine.backend;

import dev.refrain.config.BackendSettings;
import dev.refrain.core.TaskType;
import java.util.EnumSet;
import java.util.Set;

/**
 * One configured backend and what the pool knows of it now: its busy slots, its health, and a
 * back-off after it said it was full. Mutable state is guarded by {@link BackendSlots}' lock.
 */
final class Backend {
  /** Consecutive failures (probes or attempts) that take a backend out of rotation. */
  static final int FAILURES_TO_SICK = 2;

  final BackendSettings settings;
  final BackendClient client;
  final Set<TaskType> serves;
  int busy;
  boolean healthy = true;
  int failures;
  long backoffUntilNanos;
  String lastProblem = "";

  Backend(BackendSettings settings, BackendClient client) {
    this.settings = settings;
    this.client = client;
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

  /** Free to start a job of this type now. */
  boolean canTake(TaskType type, long now) {
    return serves.contains(type) && healthy && now >= backoffUntilNanos && busy < settings.slots();
  }

  /** A failure: returns true when it just took the backend out of rotation. */
  boolean failed(String why) {
    lastProblem = why;
    failures++;
    if (healthy && failures >= FAILURES_TO_SICK) {
      healthy = false;
      return true;
    }
    return false;
  }

  /** A success: returns true when it just put the backend back. */
  boolean succeeded() {
    failures = 0;
    if (!healthy) {
      healthy = true;
      return true;
    }
    return false;
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
