package dev.refrain.fetch;

/** A URL could not be fetched; the message is short, human and free of credentials. */
public final class FetchException extends Exception {
  public FetchException(String message) {
    super(message);
  }
}
