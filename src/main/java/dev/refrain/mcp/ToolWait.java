package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.client.Progress;
import dev.refrain.client.TaskWaiter;
import dev.refrain.core.ApiError;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How a generation tool follows its task: through the {@link TaskApi} (so the same in process,
 * where the task's changes end a pause early, against another Refrain node and against PiAPI), for
 * at most {@link #LIMIT}, telling a listener each step forward as an MCP progress notification.
 */
final class ToolWait {
  /** A step forward: {@code fraction} of 1 (never going back), and the task's status or stage. */
  record Step(double fraction, String message) {}

  /** How long a tool call follows its task before answering that it is still running. */
  static final Duration LIMIT = Duration.ofMinutes(30);
  /** The longest pause between reads (in process, the task's changes end one early). */
  private static final Duration EVERY = Duration.ofSeconds(1);
  private static final int MAX_MISSED_POLLS = 10;

  private ToolWait() {}

  /** The task as it ended, or as it was when the limit passed. */
  static JsonNode await(TaskApi api, JsonNode task, Consumer<Step> listener) throws InterruptedException {
    String id = task.path("task_id").asText();
    try (TaskApi.Follow follow = api.follow(id)) {
      Reads reads = new Reads(api, id, task, follow);
      try {
        return TaskWaiter.poll(reads, EVERY, LIMIT, steps(listener));
      } catch (TaskWaiter.TimedOut e) {
        return reads.last;
      }
    }
  }

  /** The status in lower case, whatever case the server wrote it in. */
  static String status(JsonNode task) {
    return task.path("status").asText().toLowerCase(Locale.ROOT);
  }

  /** Progress as steps: only forward, and only when something changed. PiAPI reports no progress: there only the status moves. */
  private static Consumer<Progress> steps(Consumer<Step> listener) {
    return new Consumer<>() {
      private double fraction = -1;
      private String message;

      @Override
      public void accept(Progress p) {
        String status = p.status().toLowerCase(Locale.ROOT);
        double f = Math.max(fraction, status.equals("completed") ? 1 : p.fraction());
        String m = status.equals("processing") && !p.stage().isBlank() ? p.stage() : status;
        if (f > fraction || !m.equals(message)) {
          fraction = f;
          message = m;
          listener.accept(new Step(f, m));
        }
      }
    };
  }

  /** Reads of the task, the first being the task as created; a server briefly out of reach (a restart, a network blip) does not end the wait. */
  private static final class Reads implements TaskWaiter.Reads {
    private final TaskApi api;
    private final String id;
    private final TaskApi.Follow follow;
    private JsonNode last;
    private boolean first = true;
    private int missed;

    Reads(TaskApi api, String id, JsonNode created, TaskApi.Follow follow) {
      this.api = api;
      this.id = id;
      this.last = created;
      this.follow = follow;
    }

    @Override
    public JsonNode read() {
      if (first) {
        first = false;
        return last;
      }
      try {
        last = api.get(id).orElseThrow(() -> new ApiError(404, "task " + id + " not found"));
        missed = 0;
      } catch (ApiError e) {
        if (e.status() < 500 || ++missed > MAX_MISSED_POLLS) throw e;
      }
      return last;
    }

    @Override
    public void pause(Duration max) throws InterruptedException {
      follow.pause(max);
    }
  }
}
