package dev.refrain.audio;

/**
 * Input audio that cannot be used. The message is short and meant for the client, worded to follow
 * "failed to get input audio: ".
 */
public final class AudioException extends Exception {
  public AudioException(String message) {
    super(message);
  }

  public AudioException(String message, Throwable cause) {
    super(message, cause);
  }
}
