package dev.refrain.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.auth.Authenticator;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.StoreException;
import dev.refrain.store.TaskRow;
import dev.refrain.task.TaskLogs;
import dev.refrain.task.TaskService;
import dev.refrain.task.TaskView;
import dev.refrain.task.TaskWatch;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/task/{id}/events}, beyond PiAPI: a task's life as Server-Sent Events. Events
 * {@code status}, {@code progress} and {@code log} (with its index as the event id, so a
 * reconnecting client's {@code Last-Event-ID} skips lines it has) follow each change, and
 * {@code task}, the whole task object, ends the stream once it is completed or failed.
 *
 * <p>The stream is ours rather than Javalin's {@code sse()} route, which answers only requests that
 * send {@code Accept: text/event-stream} and can't give an unknown task its JSON 404.
 */
final class TaskEvents {
  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);
  static final String PATH = "/api/v1/task/{id}/events";
  private static final long KEEP_ALIVE_NANOS = 15_000_000_000L;

  private final TaskService tasks;
  private final BooleanSupplier stopping;

  TaskEvents(TaskService tasks, BooleanSupplier stopping) {
    this.tasks = tasks;
    this.stopping = stopping;
  }

  void configure(JavalinConfig config) {
    config.routes.get(PATH, this::stream);
  }

  private void stream(Context ctx) throws IOException, InterruptedException {
    KeyRecord key = Authenticator.key(ctx);
    String id = ctx.pathParam("id");
    try (TaskWatch.Watcher watcher = tasks.watch(id)) {
      Optional<TaskRow> t = tasks.get(key, id);
      if (t.isEmpty()) throw new ApiError(404, "task " + id + " not found");
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no"); // nginx would otherwise hold events back
      ctx.res().flushBuffer();
      SseClient sse = new SseClient(ctx);
      Sent sent = new Sent(lastEventId(ctx), Forwarding.base(ctx));
      long keepAlive = keepAliveNanos(ctx);
      long lastWrite = System.nanoTime();
      while (t.isPresent() && !sse.terminated()) {
        if (sent.send(sse, t.get())) lastWrite = System.nanoTime();
        if (t.get().finished() || stopping.getAsBoolean()) break;
        watcher.await(Math.max(1, Math.min(TaskService.RECHECK_MILLIS, (keepAlive - (System.nanoTime() - lastWrite)) / 1_000_000)));
        if (System.nanoTime() - lastWrite >= keepAlive) {
          sse.sendComment("keep-alive"); // also how a hung-up client is noticed
          lastWrite = System.nanoTime();
        }
        try {
          t = tasks.get(key, id);
        } catch (StoreException e) {
          // The answer has long started, so no error can be sent: the client reconnects with Last-Event-ID.
          if (!stopping.getAsBoolean()) log.warn("events of task {} ended: the store failed ({})", id, e.getMessage());
          break;
        }
      }
      sse.close();
    }
  }

  /**
   * Every 15 s, or twice per idle timeout of this connection where that is shorter: a stream that
   * wrote nothing for a whole idle timeout could be ended by the server's own deadline or by a proxy
   * configured like it.
   */
  private static long keepAliveNanos(Context ctx) {
    long idleMillis = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint()
        .getIdleTimeout();
    return idleMillis > 0 ? Math.min(KEEP_ALIVE_NANOS, idleMillis * 500_000L) : KEEP_ALIVE_NANOS;
  }

  /** The index of the last log line the client has, from a reconnect's Last-Event-ID; -1 for none. */
  private static int lastEventId(Context ctx) {
    String v = ctx.header("Last-Event-ID");
    if (v == null) return -1;
    try {
      return Math.max(-1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** What this stream has told its client so far, and the events for what it has not. */
  private static final class Sent {
    private final String base;
    private String status;
    private double progress = -1;
    private String stage;
    private int logs;

    /** @param base the request's base URL, for the finished task's audio_url */
    Sent(int lastLog, String base) {
      this.logs = lastLog + 1;
      this.base = base;
    }

    /** Sends the events for what changed since the last call; true when any was sent. */
    boolean send(SseClient sse, TaskRow t) {
      boolean any = false;
      if (!t.status().equals(status)) {
        status = t.status();
        sse.sendEvent("status", Json.write(head(t).put("status", status)));
        any = true;
      }
      String st = t.stage() == null ? "" : t.stage();
      if (t.progress() != progress || !st.equals(stage)) {
        progress = t.progress();
        stage = st;
        sse.sendEvent("progress", Json.write(head(t).put("progress", progress).put("stage", stage)));
        any = true;
      }
      List<String> lines = TaskLogs.parse(t.logsJson());
      for (; logs < lines.size(); logs++) {
        sse.sendEvent("log", Json.write(head(t).put("index", logs).put("line", lines.get(logs))), Integer.toString(logs));
        any = true;
      }
      if (t.finished()) {
        sse.sendEvent("task", Json.write(TaskView.of(t, base)));
        any = true;
      }
      return any;
    }

    private static ObjectNode head(TaskRow t) {
      return Json.object().put("task_id", t.id());
    }
  }
}
