package dev.refrain.task;

import dev.refrain.core.ErrorCode;
import dev.refrain.core.TaskStatus;
import dev.refrain.metrics.Metrics;
import dev.refrain.store.TaskRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Counts the status changes this node commits (see {@link Transitions#onCommit}): tasks accepted
 * by type, tasks finished by type and outcome, and how long each task waited before it started.
 */
public final class TaskMeters implements Consumer<TaskRow> {
  private final MeterRegistry registry;

  public TaskMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void accept(TaskRow t) {
    switch (t.status()) {
      case TaskStatus.PENDING -> Counter.builder("refrain.tasks.accepted")
          .description("Tasks created on this node")
          .tag("type", t.taskType())
          .register(registry)
          .increment();
      case TaskStatus.PROCESSING -> {
        // Later attempts were claimed again after a node died: their wait is not the queue's.
        if (t.attempts() == 1) {
          Metrics.jobTimer("refrain.queue.wait")
              .description("Time from a task's creation to its start on an engine")
              .tags("engine", t.engine(), "type", t.taskType())
              .register(registry)
              .record(Math.max(0, t.startedAt() - t.createdAt()), TimeUnit.MICROSECONDS);
        }
      }
      case TaskStatus.COMPLETED, TaskStatus.FAILED -> Counter.builder("refrain.tasks.finished")
          .description("Tasks that ended on this node, by outcome: completed, failed or cancelled")
          .tags("type", t.taskType(), "outcome", outcome(t))
          .register(registry)
          .increment();
      default -> { }
    }
  }

  /** A cancelled task ends failed on the wire; here it is told apart by its error code. */
  static String outcome(TaskRow t) {
    if (t.status().equals(TaskStatus.COMPLETED)) return "completed";
    return t.errorCode() == ErrorCode.CANCELLED ? "cancelled" : "failed";
  }
}
