package dev.refrain.engine;

/** What an engine may tell the server while it works, and how it learns it should stop. */
public interface EngineContext {
  /** Progress as a fraction in [0, 1] and a short stage name ("compose", "render", ...). */
  void progress(double fraction, String stage);

  /** A short line for the task's `logs`. */
  void log(String line);

  /** True once the task was cancelled; engines check it between chunks of work and stop early. */
  boolean cancelled();

  /** Throws {@link java.util.concurrent.CancellationException} once cancelled. */
  default void checkCancelled() {
    if (cancelled() || Thread.currentThread().isInterrupted()) {
      throw new java.util.concurrent.CancellationException("cancelled");
    }
  }
}
