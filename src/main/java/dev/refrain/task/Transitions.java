package dev.refrain.task;

import dev.refrain.core.ApiError;
import dev.refrain.core.ErrorCode;
import dev.refrain.core.Json;
import dev.refrain.core.TaskStatus;
import dev.refrain.storage.Links;
import dev.refrain.store.Channel;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.GroupCommit;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.webhook.WebhookEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every status change of a task, each in one transaction with what goes with it: the ledger
 * entries (hold, release, charge), the webhook event, and the wake-ups for other nodes (sent on
 * commit; see {@link Channel}). The only writer of task status. Creates (see {@link TaskAdmission})
 * and the ends workers report are group-committed: the ones that arrive together share a
 * transaction, each key's balance row written once for all of them.
 */
public final class Transitions {
  /** The most task ends one transaction takes. */
  static final int MAX_BATCH = 256;

  private final Database db;
  private final Links links;
  private final TaskStore tasks = new TaskStore();
  private final LedgerStore ledger = new LedgerStore();
  private final WebhookEvents webhooks = new WebhookEvents();
  private final Runnable webhookSignal;
  private final TaskWatch watch;
  private volatile Consumer<TaskRow> committed = t -> {};
  private volatile java.util.function.Predicate<String> claimsHere = engine -> false;
  private volatile ClaimsRun claimsRun;
  /** Ends of tasks reported by workers, group-committed: a busy node ends many tasks per transaction. */
  private final GroupCommit<Finish, Optional<TaskRow>> finishes;

  /** @param links the node's base URL, for webhooks of tasks stored without their own */
  public Transitions(Database db, Links links, Runnable webhookSignal, TaskWatch watch) {
    this.db = db;
    this.links = links;
    this.webhookSignal = webhookSignal;
    this.watch = watch;
    this.finishes = new GroupCommit<>(db, "task-ends", MAX_BATCH, this::finishAll);
    this.claimsRun = db::tx;
  }

  public TaskWatch watch() {
    return watch;
  }

  /** Tells {@code listener} of every status change this node commits, with the task as it now is (metrics count them). */
  public void onCommit(Consumer<TaskRow> listener) {
    this.committed = listener;
  }

  /**
   * Tells which engines' new tasks this node claims itself, at once: it runs the engine and has a
   * free slot for it now (the dispatcher's own wake-up follows the create). Other nodes are woken
   * only for the others, so a busy cluster's nodes don't all race for every task.
   */
  public void claimsHere(java.util.function.Predicate<String> engineHasRoom) {
    this.claimsHere = engineHasRoom;
  }

  /**
   * Inserts new pending tasks and, unless this node claims them all itself, wakes every node's
   * dispatcher at commit (see {@link TaskAdmission}, which decides which stay).
   */
  void insertPending(Connection c, List<TaskRow> rows) throws SQLException {
    if (rows.isEmpty()) return;
    tasks.insert(c, rows);
    if (!rows.stream().map(TaskRow::engine).distinct().allMatch(claimsHere)) db.notifyOnCommit(c, Channel.DISPATCH, "");
  }

  /**
   * What else the creates of admitted tasks (inserted by {@link #insertPending}) write: their
   * webhook events, and the holds of limited keys' tasks, with one write of each key's row.
   *
   * @param balances the limited keys' balances, read locked in this transaction: their tasks take holds
   */
  void admitted(Connection c, List<TaskRow> rows, Map<String, Long> balances) throws SQLException {
    boolean events = false;
    List<LedgerStore.Hold> holds = new ArrayList<>();
    for (TaskRow t : rows) {
      events |= enqueueEvent(c, t);
      if (balances.containsKey(t.keyId())) holds.add(new LedgerStore.Hold(t.keyId(), t.id(), t.frozen()));
    }
    if (events) db.notifyOnCommit(c, Channel.WEBHOOK, "");
    ledger.hold(c, balances, holds);
  }

  /** Records the task's webhook event, if it has a webhook, and wakes every node's sender at commit. */
  private void event(Connection c, TaskRow t) throws SQLException {
    if (enqueueEvent(c, t)) db.notifyOnCommit(c, Channel.WEBHOOK, "");
  }

  /** Records the task's webhook event, if it has a webhook; true if it did (the caller wakes the senders). */
  private boolean enqueueEvent(Connection c, TaskRow t) throws SQLException {
    return webhooks.enqueue(c, t, TaskView.of(t, links.baseOr(t.baseUrl())));
  }

  /** Wakes whoever follows the task on any node, once this transaction commits. */
  private void touched(Connection c, String id) throws SQLException {
    db.notifyOnCommit(c, Channel.TASK, id);
  }

  /** After a commit that changed the task: wakes the webhook sender and this node's followers of the task, tells the listener. */
  void afterCommit(TaskRow row) {
    if (row.webhookEndpoint() != null) webhookSignal.run();
    watch.changed(row.id());
    committed.accept(row);
  }

  /**
   * Claims runnable tasks for a node (see {@link TaskStore#claim}), each only if {@code admit}
   * takes it (the engine has room for its type, taken in this transaction); the others stay queued. A task claimed more often
   * than {@code maxAttempts} (its workers kept dying) fails instead of running again. If this
   * throws, no task was claimed.
   */
  public List<TaskRow> claim(String node, String engine, int limit, long leaseMicros, int defaultMaxConcurrent, int maxAttempts,
      TaskStore.Admission admit) {
    Claimed claimed = claimsRun.run(c -> {
      long now = Clock.nowMicros();
      List<TaskRow> runnable = new ArrayList<>();
      List<TaskRow> failed = new ArrayList<>();
      for (TaskRow t : tasks.claim(c, db.dialect(), node, engine, limit, now, now + leaseMicros, defaultMaxConcurrent, admit)) {
        if (t.attempts() > maxAttempts) {
          String msg = "task failed after " + maxAttempts + " attempts: the worker running it stopped before finishing";
          finishIn(c, t, null, TaskStatus.FAILED, null, ErrorCode.INTERNAL, msg, msg, null, 0).ifPresent(failed::add);
        } else {
          if (t.attempts() == 1) event(c, t); // pending -> processing
          runnable.add(t);
        }
      }
      db.notifyOnCommit(c, Channel.TASK, runnable.stream().map(TaskRow::id).toList()); // one statement for them all
      return new Claimed(runnable, failed);
    });
    claimed.runnable().forEach(this::afterCommit);
    claimed.failed().forEach(this::afterCommit);
    return claimed.runnable();
  }

  /** What one claim transaction did: the tasks to run, and those that ran out of attempts instead. */
  record Claimed(List<TaskRow> runnable, List<TaskRow> failed) {}

  /** Runs a claim's work in a transaction, and returns its result once committed. */
  @FunctionalInterface
  interface ClaimsRun {
    Claimed run(Database.SqlWork<Claimed> work);
  }

  /**
   * Where claims run: in a transaction of their own by default; {@link TaskAdmission} has them
   * ride along with its next batch of creates.
   */
  void claimsRun(ClaimsRun run) {
    this.claimsRun = run;
  }

  public Set<String> heartbeat(String node, Collection<String> ids, long leaseMicros) {
    return db.tx(c -> tasks.heartbeat(c, node, ids, Clock.nowMicros() + leaseMicros));
  }

  public int releaseLeases(String node) {
    return db.tx(c -> {
      int released = tasks.releaseLeases(c, node);
      if (released > 0) db.notifyOnCommit(c, Channel.DISPATCH, "");
      return released;
    });
  }

  public boolean progress(String id, String node, double progress, String stage, List<String> logs) {
    boolean ok = db.tx(c -> {
      boolean written = tasks.progress(c, id, node, progress, stage, Json.write(logs));
      if (written) touched(c, id);
      return written;
    });
    if (ok) watch.changed(id);
    return ok;
  }

  /** Completes a task this node runs: output stored, hold released, actual cost charged. */
  public boolean complete(TaskRow t, String node, TaskOutput output, long consumed, List<String> logs) {
    return finish(new Finish(t, node, TaskStatus.COMPLETED, Json.write(output), 0, null, null, logs, consumed));
  }

  /** Fails a task this node runs (or, with a null node, any unfinished task): hold released. */
  public boolean fail(TaskRow t, String node, int code, String message, String raw, List<String> logs) {
    return finish(new Finish(t, node, TaskStatus.FAILED, null, code, message, raw, logs, 0));
  }

  /** How a task ends: as {@code status}, with its output or error, its logs (null: kept) and its cost. */
  private record Finish(TaskRow task, String node, String status, String outputJson, int code, String message, String raw,
      List<String> logs, long consumed) {}

  /** Ends the task with whatever other ends are waiting, in one transaction (see {@link GroupCommit}). */
  private boolean finish(Finish f) {
    Optional<TaskRow> done = finishes.submit(f);
    done.ifPresent(this::afterCommit);
    return done.isPresent();
  }

  private List<Optional<TaskRow>> finishAll(Connection c, List<Finish> batch) throws SQLException {
    Ends ends = new Ends();
    if (batch.size() == 1) {
      Finish f = batch.get(0);
      Optional<TaskRow> after = end(c, f, tasks.getForUpdate(c, db.dialect(), f.task().id()), ends);
      ends.apply(c);
      return List.of(after);
    }
    // All the rows at once, and only those no other transaction holds: a batch waiting for one row
    // while holding the others could wait in a cycle with another transaction doing the same (a
    // heartbeat renews several leases). The ends of the rows passed over run alone after the batch.
    Map<String, TaskStore.Locked> current = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (Finish f : batch) ids.add(f.task().id());
    for (TaskStore.Locked t : tasks.lockAll(c, db.dialect(), ids)) current.put(t.row().id(), t);
    List<TaskStore.End> updates = new ArrayList<>();
    for (Finish f : batch) {
      TaskStore.Locked t = current.get(f.task().id());
      if (t != null && !t.row().finished()) updates.add(update(f, t.row(), t.place()));
    }
    Map<String, TaskRow> ended = tasks.finishAll(c, db.dialect(), updates, Clock.nowMicros());
    List<Optional<TaskRow>> out = new ArrayList<>(batch.size());
    for (Finish f : batch) {
      TaskStore.Locked t = current.get(f.task().id());
      TaskRow after = ended.get(f.task().id());
      if (t == null) out.add(GroupCommit.alone());
      else if (after == null) out.add(Optional.empty());
      else out.add(Optional.of(ended(c, f, t.row(), after, ends)));
    }
    ends.apply(c);
    return out;
  }

  /**
   * Cancels a pending or processing task of a key: it ends failed with a message saying so, and
   * its hold is released. Empty when the key has no such task.
   */
  public Optional<TaskRow> cancel(String keyId, String id) {
    Optional<TaskRow> done = db.tx(c -> {
      Optional<TaskRow> cur = tasks.getForUpdate(c, db.dialect(), id).filter(t -> t.keyId().equals(keyId));
      if (cur.isEmpty()) return Optional.empty();
      TaskRow t = cur.get();
      if (t.finished()) throw ApiError.badRequest("task " + id + " is already " + t.status() + " and cannot be canceled");
      List<String> logs = new ArrayList<>(TaskLogs.parse(t.logsJson()));
      logs.add("canceled by the client while " + t.status());
      String msg = "task canceled by the client";
      Optional<TaskRow> r = finishIn(c, t, null, TaskStatus.FAILED, null, ErrorCode.CANCELLED, msg, "canceled", logs, 0);
      if (r.isEmpty()) throw new IllegalStateException("task changed while canceling; try again");
      return r;
    });
    done.ifPresent(this::afterCommit);
    return done;
  }

  private Optional<TaskRow> finishIn(Connection c, TaskRow t, String node, String status, String outputJson, int code,
      String message, String raw, List<String> logs, long consumed) throws SQLException {
    Ends ends = new Ends();
    Optional<TaskRow> after = end(c, new Finish(t, node, status, outputJson, code, message, raw, logs, consumed),
        tasks.getForUpdate(c, db.dialect(), t.id()), ends);
    ends.apply(c);
    return after;
  }

  /**
   * Ends the task in the transaction, leaving its ledger entries and wake-ups to {@code ends};
   * empty if it had already ended.
   *
   * @param current the task's row as stored now, locked till commit: the row the caller has may be older
   */
  private Optional<TaskRow> end(Connection c, Finish f, Optional<TaskRow> current, Ends ends) throws SQLException {
    if (current.isEmpty() || current.get().finished()) return Optional.empty();
    Optional<TaskRow> after = tasks.finish(c, update(f, current.get(), null), Clock.nowMicros());
    if (after.isEmpty()) return after;
    return Optional.of(ended(c, f, current.get(), after.get(), ends));
  }

  /** The change that ends the task, from its row as stored now: the hold is released, the cost (at most the hold) charged. */
  private static TaskStore.End update(Finish f, TaskRow current, String place) {
    String from = f.node() == null ? current.status() : TaskStatus.PROCESSING;
    return new TaskStore.End(current.id(), place, from, f.node(), f.status(), f.outputJson(), f.code(), f.message(), f.raw(),
        f.logs() == null ? null : Json.write(f.logs()), Math.min(f.consumed(), current.frozen()));
  }

  /** What follows a task's end in its transaction: its webhook event, the wake-ups, the ledger entries; returns {@code after}. */
  private TaskRow ended(Connection c, Finish f, TaskRow before, TaskRow after, Ends ends) throws SQLException {
    if (enqueueEvent(c, after)) ends.wake(Channel.WEBHOOK, "");
    ends.wake(Channel.TASK, after.id());
    // The key has a running place free again: the node that ran the task claims next itself (its
    // dispatcher wakes as the task's work ends); another node's end of it wakes them all.
    if (before.status().equals(TaskStatus.PROCESSING) && f.node() == null) {
      ends.wake(Channel.DISPATCH, "");
      ends.wake(Channel.CANCEL, after.id()); // stop it on the node that runs it
    }
    ends.settle(after.keyId(), new LedgerStore.Settlement(after.id(), before.frozen(), after.consumed()));
    return after;
  }

  /**
   * What the ends of tasks in one transaction leave for its end: the ledger entries, each key's row
   * written once for all its tasks (keys in order, so transactions never wait on each other's keys
   * in a cycle), last, as the key's row lock is the contended one; and the wake-ups, one statement
   * per channel.
   */
  private final class Ends {
    private final Map<String, List<LedgerStore.Settlement>> settlements = new TreeMap<>();
    private final Map<Channel, Set<String>> wakes = new EnumMap<>(Channel.class);

    void wake(Channel channel, String payload) {
      wakes.computeIfAbsent(channel, ch -> new LinkedHashSet<>()).add(payload);
    }

    void settle(String keyId, LedgerStore.Settlement s) {
      settlements.computeIfAbsent(keyId, k -> new ArrayList<>()).add(s);
    }

    void apply(Connection c) throws SQLException {
      for (Map.Entry<Channel, Set<String>> e : wakes.entrySet()) db.notifyOnCommit(c, e.getKey(), e.getValue());
      for (Map.Entry<String, List<LedgerStore.Settlement>> e : settlements.entrySet()) ledger.settle(c, e.getKey(), e.getValue());
    }
  }
}
