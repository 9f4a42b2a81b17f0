package dev.refrain.store;

/** The only four statuses a client may ever see; a cancelled task ends FAILED. */
public final class TaskStatus {
  public static final String PENDING = "pending";
  public static final String PROCESSING = "processing";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  private TaskStatus() {}
}
