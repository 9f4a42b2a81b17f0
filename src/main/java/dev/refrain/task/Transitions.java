package dev.refrain.task;

import dev.refrain.core.ApiError;
import dev.refrain.core.ErrorCode;
import dev.refrain.core.Json;
import dev.refrain.core.TaskStatus;
import dev.refrain.storage.Links;
import dev.refrain.store.Channel;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.LedgerStore;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.webhook.WebhookEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every status change of a task, each in one transaction with what goes with it: the ledger
 * entries (hold, release, charge), the webhook event, and the wake-ups for other nodes (sent on
 * commit; see {@link Channel}). The only writer of task status.
 */
public final class Transitions {
  private final Database db;
  private final Links links;
  private final TaskStore tasks = new TaskStore();
  private final LedgerStore ledger = new LedgerStore();
  private final WebhookEvents webhooks = new WebhookEvents();
  private final Runnable webhookSignal;
  private final TaskWatch watch;
  private volatile Consumer<TaskRow> committed = t -> {};

  /** @param links the node's base URL, for webhooks of tasks stored without their own */
  public Transitions(Database db, Links links, Runnable webhookSignal, TaskWatch watch) {
    this.db = db;
    this.links = links;
    this.webhookSignal = webhookSignal;
    this.watch = watch;
  }

  public TaskWatch watch() {
    return watch;
  }

  /** Tells {@code listener} of every status change this node commits, with the task as it now is (metrics count them). */
  public void onCommit(Consumer<TaskRow> listener) {
    this.committed = listener;
  }

  /**
   * Inserts a new pending task, taking its hold: a transaction's whole work. False when the key's
   * balance can't cover the hold; the transaction is then rolled back.
   */
  boolean create(Connection c, TaskRow row) throws SQLException {
    tasks.insert(c, row);
    db.notifyOnCommit(c, Channel.DISPATCH, "");
    event(c, row);
    // The key's row last: every task of the key writes it, so its lock is best held only until the commit that follows.
    if (ledger.hold(c, row.keyId(), row.id(), row.frozen())) return true;
    c.rollback();
    return false;
  }

  /** Records the task's webhook event, if it has a webhook, and wakes every node's sender at commit. */
  private void event(Connection c, TaskRow t) throws SQLException {
    if (webhooks.enqueue(c, t, TaskView.of(t, links.baseOr(t.baseUrl())))) db.notifyOnCommit(c, Channel.WEBHOOK, "");
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
    List<TaskRow> notify = new ArrayList<>();
    List<TaskRow> runnable = db.tx(c -> {
      long now = Clock.nowMicros();
      List<TaskRow> out = new ArrayList<>();
      for (TaskRow t : tasks.claim(c, db.dialect(), node, engine, limit, now, now + leaseMicros, defaultMaxConcurrent, admit)) {
        if (t.attempts() > maxAttempts) {
          String msg = "task failed after " + maxAttempts + " attempts: the worker running it stopped before finishing";
          finishIn(c, t, null, TaskStatus.FAILED, null, ErrorCode.INTERNAL, msg, msg, null, 0).ifPresent(notify::add);
        } else {
          if (t.attempts() == 1) event(c, t); // pending -> processing
          touched(c, t.id());
          out.add(t);
        }
      }
      return out;
    });
    runnable.forEach(this::afterCommit);
    notify.forEach(this::afterCommit);
    return runnable;
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
    String json = Json.write(output);
    Optional<TaskRow> done = db.tx(c -> finishIn(c, t, node, TaskStatus.COMPLETED, json, 0, null, null, logs, consumed));
    done.ifPresent(this::afterCommit);
    return done.isPresent();
  }

  /** Fails a task this node runs (or, with a null node, any unfinished task): hold released. */
  public boolean fail(TaskRow t, String node, int code, String message, String raw, List<String> logs) {
    Optional<TaskRow> done = db.tx(c -> finishIn(c, t, node, TaskStatus.FAILED, null, code, message, raw, logs, 0));
    done.ifPresent(this::afterCommit);
    return done.isPresent();
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
    // The hold and status as stored now, locked till commit: the row the caller has may be older.
    Optional<TaskRow> current = tasks.getForUpdate(c, db.dialect(), t.id());
    if (current.isEmpty() || current.get().finished()) return Optional.empty();
    String from = node == null ? current.get().status() : TaskStatus.PROCESSING;
    long frozen = current.get().frozen();
    long charge = Math.min(consumed, frozen);
    Optional<TaskRow> after = tasks.finish(c, t.id(), from, node, status, outputJson, code, message, raw,
        logs == null ? null : Json.write(logs), charge, Clock.nowMicros());
    if (after.isEmpty()) return after;
    event(c, after.get());
    touched(c, t.id());
    if (from.equals(TaskStatus.PROCESSING)) {
      db.notifyOnCommit(c, Channel.DISPATCH, ""); // the key has a running place free again
      if (node == null) db.notifyOnCommit(c, Channel.CANCEL, t.id()); // stop it on the node that runs it
    }
    ledger.settle(c, t.keyId(), t.id(), frozen, charge); // last, as in create: the key's row lock is the contended one
    return after;
  }
}
