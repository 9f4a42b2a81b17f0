package dev.refrain.core;

/**
 * A request the server answers with an error status and a message that names the field and the
 * rule. {@code retryAfterSeconds} is sent as `Retry-After` when positive (429, 503).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final long retryAfterSeconds;

  public ApiError(int status, String message) {
    this(status, message, 0);
  }

  public ApiError(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 507, with a Retry-After: the server's disk is (nearly) full; nothing was written. */
  public static ApiError diskFull() {
    return new ApiError(507, "the server is out of disk space; try again later", 60);
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  public int status() {
    return status;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
