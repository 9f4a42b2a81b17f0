package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.ApiError;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Follows a task until it is completed or failed, or until a time limit passes, telling a listener
 * each change of progress. Reads the task again after each pause, so it works the same in process
 * (where the task's changes end a pause early), against another Refrain node and against PiAPI.
 */
final class TaskWaiter {
  /** How far a task has come: {@code fraction} of 1 (never going back), and its status or stage. */
  record Progress(double fraction, String message) {}

  /** How long a tool call follows its task before answering that it is still running. */
  static final Duration LIMIT = Duration.ofMinutes(30);
  /** The longest pause between reads (in process, the task's changes end one early). */
  private static final Duration EVERY = Duration.ofSeconds(1);
  private static final int MAX_MISSED_POLLS = 10;

  private TaskWaiter() {}

  /** The task as it ended, or as it was when the limit passed. */
  static JsonNode await(TaskApi api, JsonNode task, Consumer<Progress> listener) throws InterruptedException {
    String id = task.path("task_id").asText();
    long deadline = System.nanoTime() + LIMIT.toNanos();
    double fraction = -1;
    String message = null;
    int missed = 0;
    try (TaskApi.Follow follow = api.follow(id)) {
      while (true) {
        String status = status(task);
        boolean ended = ended(task);
        // PiAPI reports no progress: there only the status moves.
        double p = Math.max(fraction, status.equals("completed") ? 1 : task.path("meta").path("progress").asDouble(0));
        String stage = task.path("meta").path("stage").asText("");
        String m = status.equals("processing") && !stage.isBlank() ? stage : status;
        if (p > fraction || !m.equals(message)) {
          fraction = p;
          message = m;
          listener.accept(new Progress(p, m));
        }
        if (ended || System.nanoTime() > deadline) return task;
        follow.pause(EVERY);
        try {
          task = api.get(id).orElseThrow(() -> new ApiError(404, "task " + id + " not found"));
          missed = 0;
        } catch (ApiError e) {
          // A server that is briefly out of reach (a restart, a network blip) does not end the wait.
          if (e.status() < 500 || ++missed > MAX_MISSED_POLLS) throw e;
        }
      }
    }
  }

  /** The status in lower case, whatever case the server wrote it in. */
  static String status(JsonNode task) {
    return task.path("status").asText().toLowerCase(Locale.ROOT);
  }

  static boolean ended(JsonNode task) {
    String status = status(task);
    return status.equals("completed") || status.equals("failed");
  }
}
