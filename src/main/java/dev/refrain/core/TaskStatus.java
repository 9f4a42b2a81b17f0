package dev.refrain.core;

import java.util.List;

/** The only four statuses a client may ever see; a cancelled task ends FAILED. */
public final class TaskStatus {
  public static final String PENDING = "pending";
  public static final String PROCESSING = "processing";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final List<String> ALL = List.of(PENDING, PROCESSING, COMPLETED, FAILED);

  private TaskStatus() {}
}
