package dev.refrain.task;

import dev.refrain.core.Signal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the requests that follow a task (event streams, {@code Prefer: wait}) when it changes:
 * {@link Transitions} calls {@link #changed} after each commit on this node, and other nodes'
 * changes arrive the same way through the TASK channel. A wake-up only says "read it again".
 */
public final class TaskWatch {
  private final ConcurrentHashMap<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();

  /** Follows one task until closed. Open it before reading the task, so no change falls in between. */
  public Watcher watch(String taskId) {
    Watcher w = new Watcher(taskId);
    watchers.compute(taskId, (k, set) -> {
      Set<Watcher> s = set == null ? ConcurrentHashMap.newKeySet() : set;
      s.add(w);
      return s;
    });
    return w;
  }

  /** The task changed; an empty id (a listener that lost notifications) wakes every watcher. */
  public void changed(String taskId) {
    if (taskId == null || taskId.isEmpty()) {
      watchers.values().forEach(set -> set.forEach(w -> w.signal.signal()));
      return;
    }
    Set<Watcher> set = watchers.get(taskId);
    if (set != null) set.forEach(w -> w.signal.signal());
  }

  /** Wakes every watcher, e.g. so event streams notice the server is stopping. */
  public void wakeAll() {
    changed("");
  }

  /** One follower of one task. */
  public final class Watcher implements AutoCloseable {
    private final String taskId;
    private final Signal signal = new Signal();

    private Watcher(String taskId) {
      this.taskId = taskId;
    }

    /** Waits until the task may have changed or {@code millis} pass. */
    public void await(long millis) throws InterruptedException {
      signal.await(millis);
    }

    @Override
    public void close() {
      watchers.computeIfPresent(taskId, (k, set) -> {
        set.remove(this);
        return set.isEmpty() ? null : set;
      });
    }
  }
}
