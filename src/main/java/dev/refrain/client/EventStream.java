package dev.refrain.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Reads a task's event stream line by line (the Server-Sent Events format): {@code status} and
 * {@code progress} events go to the listener, and the {@code task} event, the final task object,
 * completes {@link #task()}.
 */
final class EventStream implements Flow.Subscriber<String> {
  private final Consumer<Progress> listener;
  private final CompletableFuture<JsonNode> task = new CompletableFuture<>();
  private final StringBuilder data = new StringBuilder();
  private Progress progress = Progress.PENDING;
  private String event = "";
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;

  EventStream(Consumer<Progress> listener) {
    this.listener = listener;
  }

  /** The final task, or null when the stream ended without it (the connection was cut). */
  CompletableFuture<JsonNode> task() {
    return task;
  }

  /** Stops reading and lets go of the connection. */
  void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) s.cancel();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) s.cancel();
    else s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) return; // a comment: the keep-alive
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "event" -> event = value;
      case "data" -> {
        if (!data.isEmpty()) data.append('\n');
        data.append(value);
      }
      default -> { } // id and retry: a reconnect here asks for the whole state again
    }
  }

  private void dispatch() {
    String name = event;
    String body = data.toString();
    event = "";
    data.setLength(0);
    if (body.isEmpty()) return;
    JsonNode json = Json.parseOrNull(body.getBytes(StandardCharsets.UTF_8));
    if (json == null) return;
    switch (name) {
      case "status" -> update(progress.withStatus(json.path("status").asText(progress.status())));
      case "progress" -> update(progress.withProgress(json.path("progress").asDouble(progress.fraction()), json.path("stage").asText("")));
      case "task" -> {
        update(Progress.of(json));
        task.complete(json);
      }
      default -> { } // log lines, and events newer than this client
    }
  }

  private void update(Progress p) {
    progress = p;
    listener.accept(p);
  }

  @Override
  public void onError(Throwable t) {
    task.complete(null);
  }

  @Override
  public void onComplete() {
    task.complete(null);
  }
}
