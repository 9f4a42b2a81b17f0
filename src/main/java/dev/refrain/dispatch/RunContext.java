package dev.refrain.dispatch;

import dev.refrain.engine.EngineContext;
import dev.refrain.task.Transitions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The engine's view of its running task: progress and log lines go to the store, throttled so a
 * chatty engine costs at most a few writes a second; cancellation is a flag the dispatcher sets.
 */
final class RunContext implements EngineContext {
  static final long MIN_WRITE_INTERVAL_MILLIS = 250;
  private static final long MIN_WRITE_INTERVAL_NANOS = MIN_WRITE_INTERVAL_MILLIS * 1_000_000;

  private final String taskId;
  private final String node;
  private final Transitions transitions;
  private final List<String> logs;
  private volatile boolean cancelled;
  private double progress;
  private String stage = "";
  // Starts at creation: the first progress report of a quick task is not worth a write.
  private long lastWrite = System.nanoTime();
  private boolean dirty;

  RunContext(String taskId, String node, Transitions transitions, List<String> priorLogs) {
    this.taskId = taskId;
    this.node = node;
    this.transitions = transitions;
    this.logs = Collections.synchronizedList(new ArrayList<>(priorLogs));
  }

  @Override
  public synchronized void progress(double fraction, String stage) {
    this.progress = Math.max(0, Math.min(1, fraction));
    this.stage = stage;
    dirty = true;
    flush();
  }

  @Override
  public void log(String line) {
    logs.add(line.length() > 500 ? line.substring(0, 500) : line);
    synchronized (this) {
      dirty = true;
      flush();
    }
  }

  @Override
  public boolean cancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }

  List<String> logs() {
    synchronized (logs) {
      return List.copyOf(logs);
    }
  }

  /** Writes pending progress and logs, at most every quarter second. */
  synchronized void flush() {
    long now = System.nanoTime();
    if (!dirty || now - lastWrite < MIN_WRITE_INTERVAL_NANOS) return;
    lastWrite = now;
    dirty = false;
    if (!transitions.progress(taskId, node, progress, stage, logs())) cancelled = true;
  }
}
