package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.client.Progress;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Tasks as people read them: a summary of one, a table of many. */
final class TaskText {
  private TaskText() {}

  static void summary(PrintWriter out, JsonNode task) {
    Progress p = Progress.of(task);
    row(out, "task", task.path("task_id").asText());
    row(out, "type", task.path("task_type").asText());
    row(out, "status", p.status());
    if (!p.finished()) row(out, "progress", percent(p) + (p.stage().isBlank() ? "" : "  " + p.stage()));
    row(out, "created", task.path("meta").path("created_at").asText());
    JsonNode output = task.path("output");
    if (output.has("duration")) row(out, "duration", seconds(output.path("duration").asDouble()));
    if (output.hasNonNull("audio_url")) row(out, "audio_url", output.path("audio_url").asText());
    String error = task.path("error").path("message").asText("");
    if (!error.isEmpty()) row(out, "error", error);
  }

  static void table(PrintWriter out, List<JsonNode> tasks) {
    String format = "%-36s  %-11s  %-10s  %8s  %-20s  %s%n";
    out.printf(format, "TASK ID", "TYPE", "STATUS", "PROGRESS", "CREATED", "DURATION");
    for (JsonNode t : tasks) {
      Progress p = Progress.of(t);
      JsonNode duration = t.path("output").path("duration");
      out.printf(format, t.path("task_id").asText(), t.path("task_type").asText(), p.status(), percent(p),
          created(t), duration.isNumber() ? seconds(duration.asDouble()) : "-");
    }
  }

  /** Seconds with at most one decimal: "30 s", "84.2 s". */
  static String seconds(double s) {
    double rounded = Math.round(s * 10) / 10.0;
    return (rounded == Math.rint(rounded) ? Long.toString((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded)) + " s";
  }

  private static String percent(Progress p) {
    return (int) Math.floor(p.fraction() * 100) + "%";
  }

  /** The creation time to the second: "2025-06-11T12:13:27Z". */
  private static String created(JsonNode t) {
    String at = t.path("meta").path("created_at").asText("");
    int dot = at.indexOf('.');
    return dot < 0 ? at : at.substring(0, dot) + "Z";
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("%-10s %s%n", name, value);
  }
}
