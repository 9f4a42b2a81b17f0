package dev.refrain.task;

/**
 * A request the server answers with an error status and a message that names the field and the
 * rule. {@code retryAfterSeconds} is sent as `Retry-After` when positive (429, 503).
 */
public final class TaskRejected extends RuntimeException {
  private final int status;
  private final long retryAfterSeconds;

  public TaskRejected(int status, String message) {
    this(status, message, 0);
  }

  public TaskRejected(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 507, with a Retry-After: the server's disk is (nearly) full; nothing was written. */
  public static TaskRejected diskFull() {
    return new TaskRejected(507, "the server is out of disk space; try again later", 60);
  }

  public static TaskRejected badRequest(String message) {
    return new TaskRejected(400, message);
  }

  public int status() {
    return status;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
