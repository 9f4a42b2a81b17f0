package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Follows a task until it is completed or failed: through its event stream where the server has
 * one, else (an older Refrain, or PiAPI, answers the stream 404) by polling GET every 0.5 s.
 */
final class TaskWaiter {
  private static final long POLL_MILLIS = 500;

  private final TaskClient client;
  private Progress last = Progress.PENDING;

  TaskWaiter(TaskClient client) {
    this.client = client;
  }

  /**
   * The finished task; {@code listener} hears every change on the way. Past {@code timeout}
   * (null: none) it gives up with a {@link CliError#timeout}.
   */
  JsonNode await(String id, Duration timeout, Consumer<Progress> listener) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    Consumer<Progress> tracked = p -> {
      last = p;
      listener.accept(p);
    };
    while (true) {
      EventStream stream = new EventStream(tracked);
      CompletableFuture<HttpResponse<byte[]>> answer = client.events(id, stream);
      HttpResponse<byte[]> r;
      try {
        r = client.await(answer, millisLeft(deadline));
      } catch (TimeoutException e) {
        stream.close();
        answer.cancel(true);
        throw timedOut(id, timeout);
      }
      if (r.statusCode() == 404) return poll(id, deadline, timeout, tracked);
      CliError refused = TaskClient.refusal(r);
      if (refused != null) throw refused;
      JsonNode task = stream.task().getNow(null);
      if (task != null) return task;
      // The stream was cut before the end (a restart, a proxy): look, then follow it again.
      JsonNode now = client.get(id);
      tracked.accept(Progress.of(now));
      if (Progress.of(now).finished()) return now;
      pause(deadline, timeout, id);
    }
  }

  private JsonNode poll(String id, long deadline, Duration timeout, Consumer<Progress> listener) {
    while (true) {
      JsonNode task = client.get(id);
      listener.accept(Progress.of(task));
      if (Progress.of(task).finished()) return task;
      pause(deadline, timeout, id);
    }
  }

  private void pause(long deadline, Duration timeout, String id) {
    long left = millisLeft(deadline);
    if (left <= 0) throw timedOut(id, timeout);
    try {
      Thread.sleep(Math.min(POLL_MILLIS, left));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.server("interrupted");
    }
    if (millisLeft(deadline) <= 0) throw timedOut(id, timeout);
  }

  private CliError timedOut(String id, Duration timeout) {
    return CliError.timeout("task " + id + " is still " + last.status() + " after " + TaskText.seconds(timeout.toMillis() / 1000.0));
  }

  private static long millisLeft(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
  }
}
