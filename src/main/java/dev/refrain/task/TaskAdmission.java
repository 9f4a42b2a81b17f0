package dev.refrain.task;

import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.GroupCommit;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Admits new tasks, group-committed (see {@link GroupCommit}): the creates that arrive while one
 * transaction runs are decided and inserted together in the next. The batch's keys' rows are
 * locked (creates of a key on every node wait for each other, so its pending count and its
 * balance stay true until the commit), their pending counts and the limited keys' balances are
 * read, in two statements whatever the number of keys, and each key's requests are decided in
 * arrival order: an earlier task with the same idempotency key is returned (or the body differs:
 * a conflict), a key with too many pending tasks is refused, so is a hold the balance can't
 * cover, and the rest are admitted, with their holds (one write of each limited key's row) and
 * one wake-up. Per batch, not per create: the commit, the key's lock and the write of its row.
 *
 * <p>Other work may ride along in a batch ({@link #along}): the dispatcher's claims do, so that a
 * busy node's claim of the tasks it just admitted shares the next batch's commit instead of taking
 * one of its own. It runs first, before the batch locks its keys' rows: a claim takes the per-key
 * claim locks and then, for a task that ran out of attempts, key rows, the order every claim keeps.
 */
final class TaskAdmission {
  /** The most creates one transaction takes. */
  static final int MAX_BATCH = 256;

  /** What became of a create. */
  sealed interface Outcome {
    /** Inserted, its hold taken. */
    record Created(TaskRow row) implements Outcome {}

    /** The key's task with the same idempotency key and body, made earlier: nothing was inserted. */
    record Replayed(TaskRow prior) implements Outcome {}

    /** The idempotency key names an earlier task of a different body. */
    record Conflict() implements Outcome {}

    /** The key already has {@code pending} tasks waiting, the most it may. */
    record TooManyPending(long pending) implements Outcome {}

    /** The key's balance, {@code balance} units, can't cover the task's hold. */
    record Insufficient(long balance) implements Outcome {}
  }

  private final Database db;
  private final Transitions transitions;
  private final int maxPendingPerKey;
  private final long idempotencyTtlMicros;
  private final TaskStore tasks = new TaskStore();
  private final LedgerStore ledger = new LedgerStore();
  private final GroupCommit<Object, Object> batches;

  /** Work that rides along in a batch of creates: its result is its own. */
  private record Along<T>(Database.SqlWork<T> work) {}

  TaskAdmission(Database db, Transitions transitions, int maxPendingPerKey, Duration idempotencyTtl) {
    this.db = db;
    this.transitions = transitions;
    this.maxPendingPerKey = maxPendingPerKey;
    this.idempotencyTtlMicros = idempotencyTtl.toNanos() / 1_000;
    this.batches = new GroupCommit<>(db, "task-creates", MAX_BATCH, this::runAll);
  }

  /**
   * Decides a new pending task (its key, idempotency key and request hash are the row's) and
   * inserts it if admitted; returns once the decision is committed. A store failure of this row
   * alone throws; other rows of its batch are not held back by it.
   */
  Outcome admit(TaskRow row) {
    return (Outcome) batches.submit(row);
  }

  /**
   * Runs {@code work} in the transaction of the next batch of creates, or alone when none are
   * waiting; returns its result once committed. If the batch fails, the work runs again, alone, in
   * a transaction of its own: it must not keep anything from a run whose transaction rolled back.
   */
  @SuppressWarnings("unchecked")
  <T> T along(Database.SqlWork<T> work) {
    return (T) batches.submit(new Along<>(work));
  }

  /** A batch: the work along first, then the creates (see the class comment). */
  private List<Object> runAll(Connection c, List<Object> batch) throws SQLException {
    Object[] out = new Object[batch.size()];
    List<TaskRow> creates = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) instanceof Along<?> a) out[i] = a.work().run(c);
      else creates.add((TaskRow) batch.get(i));
    }
    if (!creates.isEmpty()) {
      List<Outcome> outcomes = admitAll(c, creates);
      for (int i = 0, k = 0; i < batch.size(); i++) {
        if (batch.get(i) instanceof TaskRow) out[i] = outcomes.get(k++);
      }
    }
    return Arrays.asList(out);
  }

  /** The creates of a batch: see the class comment. */
  List<Outcome> admitAll(Connection c, List<TaskRow> batch) throws SQLException {
    // The rows without an idempotency key go in first, before their keys are locked: creates of a
    // key wait for each other from the lock to the commit, so the less between the two the better.
    // Those refused are taken out again; the others go in once decided.
    List<TaskRow> early = new ArrayList<>();
    Map<String, Long> ours = new HashMap<>(); // per key: early rows, which the counts below include
    Map<String, List<Integer>> byKey = new TreeMap<>(); // each key's requests, in arrival order
    for (int i = 0; i < batch.size(); i++) {
      TaskRow row = batch.get(i);
      byKey.computeIfAbsent(row.keyId(), k -> new ArrayList<>()).add(i);
      if (row.idempotencyKey() == null) {
        early.add(row);
        ours.merge(row.keyId(), 1L, Long::sum);
      }
    }
    transitions.insertPending(c, early);
    Map<String, Long> balances = ledger.lockKeys(c, db.dialect(), byKey.keySet());
    Map<String, Long> counts = tasks.pendingCounts(c, byKey.keySet());

    Outcome[] out = new Outcome[batch.size()];
    List<TaskRow> admitted = new ArrayList<>();
    List<TaskRow> late = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byKey.entrySet()) {
      String keyId = e.getKey();
      long pending = counts.getOrDefault(keyId, 0L) - ours.getOrDefault(keyId, 0L);
      boolean limited = balances.containsKey(keyId);
      long balance = balances.getOrDefault(keyId, 0L);
      Map<String, TaskRow> named = new HashMap<>(); // idempotency key -> the task admitted with it in this batch
      for (int i : e.getValue()) {
        TaskRow row = batch.get(i);
        String name = row.idempotencyKey();
        if (name != null) {
          TaskRow prior = named.containsKey(name) ? named.get(name) : stored(c, keyId, name).orElse(null);
          if (prior != null) {
            out[i] = row.requestHash().equals(prior.requestHash()) ? new Outcome.Replayed(prior) : new Outcome.Conflict();
            continue;
          }
        }
        if (pending >= maxPendingPerKey) {
          out[i] = new Outcome.TooManyPending(pending);
        } else if (limited && row.frozen() > balance) {
          out[i] = new Outcome.Insufficient(balance);
        } else {
          pending++;
          if (limited) balance -= row.frozen();
          admitted.add(row);
          if (name != null) {
            named.put(name, row);
            late.add(row);
          }
          out[i] = new Outcome.Created(row);
          continue;
        }
        if (name == null) refused.add(row.id());
      }
    }
    tasks.delete(c, refused);
    transitions.insertPending(c, late);
    transitions.admitted(c, admitted, balances);
    return Arrays.asList(out);
  }

  /** The key's stored task with this idempotency key, unless it is older than the TTL: then the key is freed for a new task. */
  private Optional<TaskRow> stored(Connection c, String keyId, String idempotencyKey) throws SQLException {
    Optional<TaskRow> prior = tasks.byIdempotencyKey(c, keyId, idempotencyKey);
    if (prior.isPresent() && Clock.nowMicros() - prior.get().createdAt() > idempotencyTtlMicros) {
      tasks.forgetIdempotencyKey(c, prior.get().id());
      return Optional.empty();
    }
    return prior;
  }
}
