package dev.refrain.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: work that many threads hand in at about the same time runs in one transaction, so
 * they share its commit (on PostgreSQL, its WAL flush) and take each contended lock once rather
 * than once each, each waiting for the commit of the one before. It has no thread of its own: the
 * caller at the head of the queue leads, runs everything queued (up to a limit) as one batch in
 * one transaction, hands every caller of the batch its result, and the next caller in the queue
 * leads the next batch. A lone caller runs its own work at once, so an idle server pays no wait;
 * a busy one gathers in a batch whatever arrived during the previous transaction.
 *
 * <p>When a batch's transaction fails, each of its items runs again alone, in a transaction of
 * its own, so one item that fails (a broken row, a constraint) fails only its own caller. The
 * work may also leave an item out of its batch (answer {@link #alone()} for it): it then runs
 * alone once the batch has committed.
 */
public final class GroupCommit<I, O> {
  /** Does the items' work inside one open transaction; returns one result per item, in their order. */
  @FunctionalInterface
  public interface Work<I, O> {
    List<O> run(Connection c, List<I> items) throws SQLException;
  }

  private final Database db;
  private final Work<I, O> work;
  private final int maxBatch;
  private final ReentrantLock lock = new ReentrantLock();
  /** Callers whose item is not done yet, in arrival order; the head is the leader or the next one. */
  private final ArrayDeque<Waiter<I, O>> queue = new ArrayDeque<>();

  private static final class Waiter<I, O> {
    final I item;
    final Condition turn;
    boolean done;
    O result;
    Throwable error;

    Waiter(I item, Condition turn) {
      this.item = item;
      this.turn = turn;
    }

    O result() {
      if (error instanceof RuntimeException e) throw e;
      if (error instanceof Error e) throw e;
      if (error != null) throw new StoreException(error.getMessage(), error);
      return result;
    }
  }

  private static final Object ALONE = new Object();

  /** The answer for an item the work leaves out of its batch: it runs again alone once the batch has committed. */
  @SuppressWarnings("unchecked")
  public static <O> O alone() {
    return (O) ALONE;
  }

  /** @param maxBatch the most items one transaction takes */
  public GroupCommit(Database db, int maxBatch, Work<I, O> work) {
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
    this.db = db;
    this.maxBatch = maxBatch;
    this.work = work;
  }

  /** Runs the item's work in a transaction, with whatever else is waiting, and returns its result once committed. */
  public O submit(I item) {
    List<Waiter<I, O>> batch = new ArrayList<>();
    Waiter<I, O> self;
    lock.lock();
    try {
      self = new Waiter<>(item, lock.newCondition());
      queue.addLast(self);
      // The leader marks its whole batch done before it wakes the next head; a caller whose item
      // was in that batch is done, the new head leads.
      while (!self.done && queue.peekFirst() != self) self.turn.awaitUninterruptibly();
      if (self.done) return self.result();
      for (Waiter<I, O> w : queue) {
        if (batch.size() == maxBatch) break;
        batch.add(w);
      }
    } finally {
      lock.unlock();
    }
    run(batch);
    lock.lock();
    try {
      // Only the leader removes, and the batch was the queue's head: later callers were only added behind it.
      for (Waiter<I, O> w : batch) {
        queue.removeFirst();
        w.done = true;
        w.turn.signal();
      }
      Waiter<I, O> next = queue.peekFirst();
      if (next != null) next.turn.signal();
    } finally {
      lock.unlock();
    }
    return self.result();
  }

  /** How many callers are in the queue now: the running batch's and those waiting for the next. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Fills in each waiter's result or error; throws nothing. */
  private void run(List<Waiter<I, O>> batch) {
    List<I> items = new ArrayList<>(batch.size());
    for (Waiter<I, O> w : batch) items.add(w.item);
    try {
      List<O> out = db.tx(c -> work.run(c, items));
      if (out.size() != batch.size()) throw new IllegalStateException(out.size() + " results for " + batch.size() + " items");
      for (int i = 0; i < batch.size(); i++) batch.get(i).result = out.get(i);
      for (Waiter<I, O> w : batch) {
        if (w.result == ALONE) {
          if (batch.size() == 1) throw new IllegalStateException("an item alone was left out of its batch");
          run(List.of(w));
        }
      }
    } catch (Throwable e) {
      if (batch.size() == 1) {
        batch.get(0).error = e;
      } else {
        for (Waiter<I, O> w : batch) run(List.of(w));
      }
    }
  }
}
