package dev.refrain.engine.backend;

import java.sql.Connection;
import java.time.Duration;

/**
 * What the nodes know together about the backends: which task holds each slot, and each backend's
 * health. A node alone keeps it all in its own memory ({@link #alone()}); nodes over PostgreSQL
 * share it in the store ({@link SharedFleet}), so that together they never give a backend more
 * jobs than it has slots, and a dead GPU is found once for all of them. The node's own count of
 * its jobs on each backend is kept by {@link BackendSlots} either way. Health calls never throw:
 * when the store can't be reached the node goes by what it saw itself.
 */
interface Fleet extends AutoCloseable {
  /**
   * Takes one of the backend's slots for the task: in {@code claim}, the claim's transaction, when
   * given, else in a transaction of its own. False when the cluster holds every slot, or the
   * backend is out of rotation or paused.
   */
  boolean lease(Backend b, String taskId, Connection claim);

  /** Gives the task's slot on the backend back; this node's dispatcher is told by the caller, and claims for it first. */
  void release(Backend b, String taskId);

  /** A failed job or probe; true when it just took the backend out of rotation. */
  boolean failed(Backend b, String why);

  /** A finished job or a passed probe; true when it just brought the backend back. */
  boolean succeeded(Backend b);

  /** The backend said it is full: no job is sent to it for {@code wait}. */
  void pause(Backend b, Duration wait);

  /** Whether this node probes the backend this round (one node a round, on a cluster). */
  boolean probeTurn(Backend b, Duration interval);

  @Override
  void close();

  /** One node, nothing shared: every lease is the node's own count, health what it sees. */
  static Fleet alone() {
    return new Fleet() {
      @Override
      public boolean lease(Backend b, String taskId, Connection claim) {
        return true;
      }

      @Override
      public void release(Backend b, String taskId) {}

      @Override
      public boolean failed(Backend b, String why) {
        return b.failed();
      }

      @Override
      public boolean succeeded(Backend b) {
        return b.succeeded();
      }

      @Override
      public void pause(Backend b, Duration wait) {
        b.pauseUntil(System.nanoTime() + wait.toNanos());
      }

      @Override
      public boolean probeTurn(Backend b, Duration interval) {
        return true;
      }

      @Override
      public void close() {}
    };
  }
}
