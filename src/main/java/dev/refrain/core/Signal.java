package dev.refrain.core;

/**
 * A wake-up for a background loop: producers {@link #signal()}, the loop {@link #await}s with a
 * timeout. A signal sent while the loop is busy is kept, so none is lost.
 */
public final class Signal {
  private boolean raised;

  public synchronized void signal() {
    raised = true;
    notifyAll();
  }

  /** Waits until signalled or {@code millis} pass, and clears the signal. */
  public synchronized void await(long millis) throws InterruptedException {
    if (!raised) wait(Math.max(1, millis));
    raised = false;
  }

  /** Sleeps, keeping the interrupt flag instead of throwing: for loops that check their own stop flag. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
