package dev.refrain.store;

import java.util.Locale;

/** The wake-ups nodes send each other (PostgreSQL NOTIFY channels); the payload is a task id or empty. */
public enum Channel {
  /**
   * A task may have become claimable: created on a node with no room for it, handed back, a key's
   * running task ended elsewhere than where it ran (cancelled), a backend came back, or a stopping
   * node freed its backend slots. A node that frees room itself claims next without waking others.
   */
  DISPATCH,
  /** Webhook events were recorded. */
  WEBHOOK,
  /** A running task was cancelled; the payload is its id, for whichever node runs it. */
  CANCEL,
  /** A task changed (status, progress, logs); the payload is its id, for the nodes streaming it. */
  TASK;

  String sqlName() {
    return "refrain_" + name().toLowerCase(Locale.ROOT);
  }
}
