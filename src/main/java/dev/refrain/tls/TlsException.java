package dev.refrain.tls;

/**
 * A certificate or key that cannot be served. The message is one line for the operator: the setting
 * or file it came from, and what is wrong with it; never any key material.
 */
public final class TlsException extends RuntimeException {
  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
