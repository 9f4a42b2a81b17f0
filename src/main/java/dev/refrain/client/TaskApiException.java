package dev.refrain.client;

import java.util.Optional;

/**
 * A call to the task API that did not succeed: the server refused it ({@link #status} is its HTTP
 * status, {@link #body} its answer), or there was no answer (status 0, the cause says why). The
 * message says it plainly; callers that speak to someone else (an MCP client, a backend pool) build
 * their own from the parts.
 */
public final class TaskApiException extends RuntimeException {
  private final int status;
  private final byte[] body;
  private final String retryAfter;

  TaskApiException(int status, byte[] body, String retryAfter, String message) {
    super(message);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /** No answer: the cause is the connection's failure, a timeout or an interrupt. */
  TaskApiException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.body = new byte[0];
    this.retryAfter = null;
  }

  /** The HTTP status of the answer; 0 when there was none. */
  public int status() {
    return status;
  }

  /** The answer's body as sent (empty when there was none). */
  public byte[] body() {
    return body;
  }

  /** The answer's Retry-After header as sent. */
  public Optional<String> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
