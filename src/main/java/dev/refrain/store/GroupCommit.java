package dev.refrain.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: work that many threads hand in at about the same time runs in one transaction, so
 * they share its commit (on PostgreSQL, its WAL flush) and take each contended lock once rather
 * than once each, each waiting for the commit of the one before. One writer thread takes whatever
 * is queued (up to a limit) as a batch, runs it in one transaction and hands every caller its
 * result; what arrives meanwhile makes the next batch. An idle server pays no wait: a lone item
 * is a batch of one, run as soon as it comes.
 *
 * <p>The writer is a platform thread of its own, not the callers' (virtual) threads: a
 * transaction that holds a key's lock must not wait, between two statements, for a carrier that
 * request handlers keep busy. It ends after a while without work and starts again with the next.
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

  /** How long the writer waits for work before it ends. */
  private static final long IDLE_MILLIS = 5_000;
  private static final Object ALONE = new Object();

  private final Database db;
  private final String name;
  private final Work<I, O> work;
  private final int maxBatch;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  /** Callers whose item the writer has not taken yet, in arrival order. */
  private final ArrayDeque<Waiter<I, O>> queue = new ArrayDeque<>();
  private int running; // items of the batch the writer runs now
  private boolean writing; // whether a writer thread is there (running or waiting for work)

  private static final class Waiter<I, O> {
    final I item;
    final Condition done;
    boolean finished;
    O result;
    Throwable error;

    Waiter(I item, Condition done) {
      this.item = item;
      this.done = done;
    }

    O result() {
      if (error instanceof RuntimeException e) throw e;
      if (error instanceof Error e) throw e;
      if (error != null) throw new StoreException(error.getMessage(), error);
      return result;
    }
  }

  /**
   * @param name names the writer thread
   * @param maxBatch the most items one transaction takes
   */
  public GroupCommit(Database db, String name, int maxBatch, Work<I, O> work) {
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
    this.db = db;
    this.name = name;
    this.maxBatch = maxBatch;
    this.work = work;
  }

  /** The answer for an item the work leaves out of its batch: it runs again alone once the batch has committed. */
  @SuppressWarnings("unchecked")
  public static <O> O alone() {
    return (O) ALONE;
  }

  /** Runs the item's work in a transaction, with whatever else is waiting, and returns its result once committed. */
  public O submit(I item) {
    lock.lock();
    try {
      Waiter<I, O> w = new Waiter<>(item, lock.newCondition());
      queue.addLast(w);
      if (writing) {
        queued.signal();
      } else {
        writing = true;
        Thread.ofPlatform().daemon().name(name).start(this::write);
      }
      while (!w.finished) w.done.awaitUninterruptibly();
      return w.result();
    } finally {
      lock.unlock();
    }
  }

  /** How many items are in the queue now: the running batch's and those waiting for the next. */
  public int queued() {
    lock.lock();
    try {
      return running + queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** The writer: takes batches off the queue until there has been none for a while. */
  private void write() {
    while (true) {
      List<Waiter<I, O>> batch = new ArrayList<>();
      lock.lock();
      try {
        long idle = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
        while (queue.isEmpty()) {
          if (idle <= 0) {
            writing = false;
            return;
          }
          try {
            idle = queued.awaitNanos(idle);
          } catch (InterruptedException e) {
            // Nobody interrupts this thread; waiting on is what it is for.
          }
        }
        while (!queue.isEmpty() && batch.size() < maxBatch) batch.add(queue.removeFirst());
        running = batch.size();
      } finally {
        lock.unlock();
      }
      run(batch);
      lock.lock();
      try {
        running = 0;
        for (Waiter<I, O> w : batch) {
          w.finished = true;
          w.done.signal();
        }
      } finally {
        lock.unlock();
      }
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
