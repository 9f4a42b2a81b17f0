package dev.refrain.metrics;

import dev.refrain.core.TaskStatus;
import dev.refrain.core.TaskType;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.TaskTally;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the shared store, so every node reports the same, whole-cluster numbers: tasks
 * by type and status, the queue's depth and how long its oldest task has waited. One grouped
 * query answers them all, kept for a few seconds so that scrapes (and several scrapers) stay cheap.
 */
public final class TaskGauges {
  private static final Logger log = LoggerFactory.getLogger(TaskGauges.class);
  private static final long FRESH_NANOS = Duration.ofSeconds(5).toNanos();
  private static final List<String> STATUSES = List.of(TaskStatus.PENDING, TaskStatus.PROCESSING, TaskStatus.COMPLETED, TaskStatus.FAILED);

  /** The store's counts at one moment; NaN everywhere when the store could not be read. */
  private record Tally(Map<String, Long> counts, long pending, long oldestPendingMicros, boolean known) {
    static final Tally UNKNOWN = new Tally(Map.of(), 0, 0, false);

    static Tally of(List<TaskTally.Group> groups) {
      Map<String, Long> counts = new HashMap<>();
      long pending = 0;
      long oldest = 0;
      for (TaskTally.Group g : groups) {
        counts.put(g.taskType() + "/" + g.status(), g.count());
        if (g.status().equals(TaskStatus.PENDING)) {
          pending += g.count();
          oldest = oldest == 0 ? g.oldestCreatedAt() : Math.min(oldest, g.oldestCreatedAt());
        }
      }
      return new Tally(counts, pending, oldest, true);
    }

    double count(String type, String status) {
      return known ? counts.getOrDefault(type + "/" + status, 0L) : Double.NaN;
    }

    double depth() {
      return known ? pending : Double.NaN;
    }

    double ageSeconds() {
      if (!known) return Double.NaN;
      return pending == 0 ? 0 : Math.max(0, Clock.nowMicros() - oldestPendingMicros) / 1e6;
    }
  }

  private final Database db;
  private final TaskTally tally = new TaskTally();
  private Tally last;
  private long readAt;

  private TaskGauges(Database db) {
    this.db = db;
  }

  /** Registers the gauges; each scrape reads them from {@code db}. */
  public static void register(Database db, MeterRegistry registry) {
    TaskGauges gauges = new TaskGauges(db);
    for (TaskType type : TaskType.values()) {
      for (String status : STATUSES) {
        Gauge.builder("refrain.tasks", gauges, g -> g.now().count(type.wire(), status))
            .description("Tasks in the store by type and status (all nodes)")
            .tags("type", type.wire(), "status", status)
            .strongReference(true)
            .register(registry);
      }
    }
    Gauge.builder("refrain.queue.depth", gauges, g -> g.now().depth())
        .description("Tasks waiting to start (all nodes)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("refrain.queue.age", gauges, g -> g.now().ageSeconds())
        .description("How long the oldest waiting task has waited; 0 when none waits")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  /** The tally, read again once it is a few seconds old (a failed read too, so a down store is not asked per gauge). */
  private synchronized Tally now() {
    long t = System.nanoTime();
    if (last != null && t - readAt < FRESH_NANOS) return last;
    try {
      last = Tally.of(db.read(tally::read));
    } catch (RuntimeException e) {
      log.warn("reading task counts for metrics failed", e);
      last = Tally.UNKNOWN;
    }
    readAt = t;
    return last;
  }
}
