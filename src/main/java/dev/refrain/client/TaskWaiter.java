package dev.refrain.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Follows a task until it is completed or failed, telling a listener every change on the way: from
 * a server, through its event stream where it has one, else (an older Refrain, or PiAPI, answers
 * the stream 404) by reading the task every 0.5 s; or by reading it however the caller can.
 */
public final class TaskWaiter {
  private static final Duration POLL = Duration.ofMillis(500);

  /** One task as the waiter reads it. */
  public interface Reads {
    /** The task as it is now. */
    JsonNode read();

    /** Waits up to {@code max} before the next read; where the task's changes are seen, they may end it sooner. */
    default void pause(Duration max) throws InterruptedException {
      Thread.sleep(max);
    }
  }

  /** The time ran out before the task ended. */
  public static final class TimedOut extends Exception {
    private final transient Progress last;

    TimedOut(Progress last) {
      super("still " + last.status(), null, false, false);
      this.last = last;
    }

    /** How the task stood when the time ran out. */
    public Progress last() {
      return last;
    }
  }

  private final long deadline;
  private final Consumer<Progress> listener;
  private Progress last = Progress.PENDING;

  private TaskWaiter(Duration timeout, Consumer<Progress> listener) {
    this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    this.listener = listener;
  }

  /** The finished task a server runs; past {@code timeout} (null: none) {@link TimedOut}. */
  public static JsonNode follow(TaskClient client, String id, Duration timeout, Consumer<Progress> listener)
      throws TimedOut, InterruptedException {
    return new TaskWaiter(timeout, listener).stream(client, id);
  }

  /** The finished task, read with pauses of up to {@code every} between reads; past {@code timeout} (null: none) {@link TimedOut}. */
  public static JsonNode poll(Reads reads, Duration every, Duration timeout, Consumer<Progress> listener)
      throws TimedOut, InterruptedException {
    return new TaskWaiter(timeout, listener).poll(reads, every);
  }

  private JsonNode stream(TaskClient client, String id) throws TimedOut, InterruptedException {
    Reads reads = () -> client.get(id);
    while (true) {
      EventStream stream = new EventStream(this::report);
      CompletableFuture<HttpResponse<byte[]>> answer = client.events(id, stream);
      HttpResponse<byte[]> r;
      try {
        r = client.await(answer, millisLeft());
      } catch (TimeoutException e) {
        stream.close();
        answer.cancel(true);
        throw new TimedOut(last);
      }
      if (r.statusCode() == 404) return poll(reads, POLL);
      JsonNode task = stream.task().getNow(null);
      if (task != null) return task;
      // The stream was cut before the end (a restart, a proxy): look, then follow it again.
      JsonNode now = read(reads);
      if (now != null) return now;
      pause(reads, POLL);
    }
  }

  private JsonNode poll(Reads reads, Duration every) throws TimedOut, InterruptedException {
    while (true) {
      JsonNode task = read(reads);
      if (task != null) return task;
      pause(reads, every);
    }
  }

  /** Reads and reports the task; it when it has ended, else null. */
  private JsonNode read(Reads reads) {
    JsonNode task = reads.read();
    report(Progress.of(task));
    return last.finished() ? task : null;
  }

  private void report(Progress p) {
    last = p;
    listener.accept(p);
  }

  private void pause(Reads reads, Duration every) throws TimedOut, InterruptedException {
    long left = millisLeft();
    if (left <= 0) throw new TimedOut(last);
    reads.pause(Duration.ofMillis(Math.min(every.toMillis(), left)));
    if (millisLeft() <= 0) throw new TimedOut(last);
  }

  private long millisLeft() {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
  }
}
