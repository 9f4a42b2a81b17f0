package dev.refrain.client;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a task stands: its status, and while it runs how far (0..1) and at which stage. */
public record Progress(String status, double fraction, String stage) {
  public static final Progress PENDING = new Progress("pending", 0, "");

  /**
   * From a task object; a server without {@code meta.progress} (PiAPI) reads as 0, or 1 once
   * completed. PiAPI may capitalise the status, so it is compared without case.
   */
  public static Progress of(JsonNode task) {
    String status = task.path("status").asText("pending");
    JsonNode meta = task.path("meta");
    double fraction = meta.has("progress") ? meta.path("progress").asDouble() : status.equalsIgnoreCase("completed") ? 1 : 0;
    return new Progress(status, fraction, meta.path("stage").asText(""));
  }

  public boolean finished() {
    return status.equalsIgnoreCase("completed") || status.equalsIgnoreCase("failed");
  }

  Progress withStatus(String s) {
    return new Progress(s, fraction, stage);
  }

  Progress withProgress(double f, String st) {
    return new Progress(status, f, st);
  }
}
