package dev.refrain.engine.backend;

import java.time.Duration;

/** Why an attempt on a backend did not produce audio. */
public abstract sealed class BackendException extends Exception {
  BackendException(String message) {
    super(message, null, false, false);
  }

  /**
   * The backend is full (HTTP 429, or 503 with `Retry-After`): back-pressure, not a failure. The
   * task waits and tries again, there or elsewhere, without using up an attempt.
   */
  public static final class Busy extends BackendException {
    private final Duration retryAfter;

    public Busy(String message, Duration retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * The attempt failed for a reason on the backend's side (connection lost, 5xx, job lost or
   * failed, deadline, malformed answer): another backend may do better.
   */
  public static final class Failed extends BackendException {
    public Failed(String message) {
      super(message);
    }
  }

  /** The backend refused the request itself (4xx other than 429): no backend of this kind will take it. */
  public static final class Refused extends BackendException {
    public Refused(String message) {
      super(message);
    }
  }
}
