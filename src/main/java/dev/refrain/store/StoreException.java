package dev.refrain.store;

/** A database failure; surfaces to clients as a 500 without details. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
