package dev.refrain.store;

import dev.refrain.core.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL for `tasks`: rows, the queue claims and leases, and the state changes. */
public final class TaskStore {
  private static final String COLUMNS =
      "id, key_id, model, task_type, status, engine, input_json, config_json, webhook_endpoint, webhook_secret,"
          + " output_json, error_code, error_message, error_raw, logs_json, progress, stage, seed, created_at, started_at, ended_at,"
          + " frozen, consumed, idempotency_key, request_hash, attempts, lease_owner, lease_until, version, base_url";

  /** Inserts new tasks, in one batch. */
  public void insert(Connection c, List<TaskRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (" + COLUMNS + ") VALUES "
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (TaskRow t : rows) {
        int i = 1;
        ps.setString(i++, t.id());
        ps.setString(i++, t.keyId());
        ps.setString(i++, t.model());
        ps.setString(i++, t.taskType());
        ps.setString(i++, t.status());
        ps.setString(i++, t.engine());
        ps.setString(i++, t.inputJson());
        ps.setString(i++, t.configJson());
        setNullable(ps, i++, t.webhookEndpoint());
        setNullable(ps, i++, t.webhookSecret());
        setNullable(ps, i++, t.outputJson());
        ps.setInt(i++, t.errorCode());
        setNullable(ps, i++, t.errorMessage());
        setNullable(ps, i++, t.errorRaw());
        ps.setString(i++, t.logsJson());
        ps.setDouble(i++, t.progress());
        setNullable(ps, i++, t.stage());
        ps.setLong(i++, t.seed());
        ps.setLong(i++, t.createdAt());
        setTime(ps, i++, t.startedAt());
        setTime(ps, i++, t.endedAt());
        ps.setLong(i++, t.frozen());
        ps.setLong(i++, t.consumed());
        setNullable(ps, i++, t.idempotencyKey());
        setNullable(ps, i++, t.requestHash());
        ps.setInt(i++, t.attempts());
        setNullable(ps, i++, t.leaseOwner());
        setTime(ps, i++, t.leaseUntil());
        ps.setInt(i++, t.version());
        setNullable(ps, i, t.baseUrl());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public Optional<TaskRow> get(Connection c, String id) throws SQLException {
    List<TaskRow> rows = query(c, "SELECT " + COLUMNS + " FROM tasks WHERE id = ?", id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The row, locked until the transaction ends where the dialect has row locks: for read-then-write changes. */
  public Optional<TaskRow> getForUpdate(Connection c, Dialect dialect, String id) throws SQLException {
    List<TaskRow> rows = query(c, "SELECT " + COLUMNS + " FROM tasks WHERE id = ?" + dialect.forUpdate(), id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /**
   * The rows, locked until the transaction ends where the dialect has row locks, in one statement;
   * on PostgreSQL, rows another transaction holds are left out rather than waited for.
   */
  public List<TaskRow> getAllForUpdateSkipLocked(Connection c, Dialect dialect, Collection<String> ids) throws SQLException {
    return query(c, "SELECT " + COLUMNS + " FROM tasks WHERE id IN (" + placeholders(ids.size()) + ")" + dialect.forUpdateSkipLocked(),
        ids.toArray());
  }

  public Optional<TaskRow> byIdempotencyKey(Connection c, String keyId, String idempotencyKey) throws SQLException {
    List<TaskRow> rows = query(c, "SELECT " + COLUMNS + " FROM tasks WHERE key_id = ? AND idempotency_key = ?", keyId, idempotencyKey);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Frees an expired idempotency key so it can name a new task. */
  public void forgetIdempotencyKey(Connection c, String taskId) throws SQLException {
    try (PreparedStatement ps = prepare(c, "UPDATE tasks SET idempotency_key = NULL WHERE id = ?", taskId)) {
      ps.executeUpdate();
    }
  }

  /** How many of a key's tasks are pending and processing: {pending, processing}. */
  public long[] activeCounts(Connection c, String keyId) throws SQLException {
    long[] out = new long[2];
    try (PreparedStatement ps = prepare(c,
        "SELECT status, COUNT(*) FROM tasks WHERE key_id = ? AND status IN ('pending', 'processing') GROUP BY status", keyId);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out[rs.getString(1).equals(TaskStatus.PENDING) ? 0 : 1] = rs.getLong(2);
    }
    return out;
  }

  /** How many of each key's tasks are pending (keys with none are left out). */
  public Map<String, Long> pendingCounts(Connection c, Collection<String> keyIds) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps = prepare(c, "SELECT key_id, COUNT(*) FROM tasks WHERE status = 'pending' AND key_id IN ("
        + placeholders(keyIds.size()) + ") GROUP BY key_id", keyIds.toArray()); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
    }
    return out;
  }

  /** Deletes tasks inserted in this transaction that are not to be after all. */
  public void delete(Connection c, Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) return;
    try (PreparedStatement ps = prepare(c, "DELETE FROM tasks WHERE id IN (" + placeholders(ids.size()) + ")", ids.toArray())) {
      ps.executeUpdate();
    }
  }

  /** "?, ?, ?": {@code n} parameters, for an IN list. */
  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * Which of a key's tasks a history page shows: null fields and zero times leave that filter
   * open. Times are microseconds, {@code from} inclusive and {@code to} exclusive.
   */
  public record HistoryFilter(String model, String status, String taskType, long from, long to) {}

  /** A key's tasks, newest first. */
  public List<TaskRow> history(Connection c, String keyId, HistoryFilter filter, int limit, int offset) throws SQLException {
    List<Object> args = new ArrayList<>();
    String where = historyFilter(keyId, filter, args);
    args.add(limit);
    args.add(offset);
    return query(c, "SELECT " + COLUMNS + " FROM tasks" + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", args.toArray());
  }

  public long historyCount(Connection c, String keyId, HistoryFilter filter) throws SQLException {
    List<Object> args = new ArrayList<>();
    String where = historyFilter(keyId, filter, args);
    try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM tasks" + where, args.toArray()); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String historyFilter(String keyId, HistoryFilter f, List<Object> args) {
    StringBuilder sql = new StringBuilder(" WHERE key_id = ?");
    args.add(keyId);
    if (f.model() != null) {
      sql.append(" AND model = ?");
      args.add(f.model());
    }
    if (f.status() != null) {
      sql.append(" AND status = ?");
      args.add(f.status());
    }
    if (f.taskType() != null) {
      sql.append(" AND task_type = ?");
      args.add(f.taskType());
    }
    if (f.from() > 0) {
      sql.append(" AND created_at >= ?");
      args.add(f.from());
    }
    if (f.to() > 0) {
      sql.append(" AND created_at < ?");
      args.add(f.to());
    }
    return sql.toString();
  }

  /** Pending tasks of a key created before a time, for bulk cancel. */
  public List<TaskRow> pendingBefore(Connection c, String keyId, String model, long before) throws SQLException {
    String sql = "SELECT " + COLUMNS + " FROM tasks WHERE key_id = ? AND status = 'pending' AND created_at < ?"
        + (model == null ? "" : " AND model = ?") + " ORDER BY created_at";
    return model == null ? query(c, sql, keyId, before) : query(c, sql, keyId, before, model);
  }

  /** Whether a task may be claimed now (its engine has room for it), decided inside the claim's transaction. */
  @FunctionalInterface
  public interface Admission {
    /** @param claim the claim's transaction, in which the engine may lease shared capacity for the task */
    boolean admit(TaskRow task, Connection claim) throws SQLException;
  }

  /**
   * Takes up to {@code limit} runnable tasks of an engine for this node: pending ones, oldest
   * first, and processing ones whose lease ran out (their worker died). A key never runs more than
   * its max concurrency at once, and a task is taken only if {@code admit} accepts it (the engine
   * has a slot for it). Claimed rows come back as they are now stored. Candidates are read
   * without locks; each is taken only if unchanged since (its version), still runnable and, on
   * PostgreSQL, not being taken by another node right now (see {@link Dialect#claimRow}).
   */
  public List<TaskRow> claim(Connection c, Dialect dialect, String node, String engine, int limit, long now, long leaseUntil,
      int defaultMaxConcurrent, Admission admit) throws SQLException {
    // Two queries, not one with OR, so each walks the (status, engine, created_at) index.
    int window = Math.max(limit * 8, 64);
    List<TaskRow> candidates = new ArrayList<>(query(c, "SELECT " + COLUMNS + " FROM tasks WHERE status = 'processing'"
        + " AND engine = ? AND lease_until < ? ORDER BY created_at LIMIT ?", engine, now, window));
    candidates.addAll(query(c, "SELECT " + COLUMNS + " FROM tasks WHERE status = 'pending' AND engine = ?"
        + " ORDER BY created_at LIMIT ?", engine, window));
    if (candidates.isEmpty()) return List.of();
    Map<String, Integer> limits = new HashMap<>();
    Map<String, Integer> running = new HashMap<>();
    Set<String> keys = new java.util.TreeSet<>(); // sorted: the order the key locks are taken in
    for (TaskRow t : candidates) keys.add(t.keyId());
    for (String key : keys) {
      dialect.lockKeyForClaim(c, key);
      try (PreparedStatement ps = prepare(c, "SELECT k.max_concurrent, (SELECT COUNT(*) FROM tasks t WHERE t.key_id = k.id"
          + " AND t.status = 'processing' AND t.lease_until >= ?) FROM api_keys k WHERE k.id = ?", now, key);
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          int mc = rs.getInt(1);
          limits.put(key, rs.wasNull() ? defaultMaxConcurrent : mc);
          running.put(key, rs.getInt(2));
        }
      }
    }
    List<TaskRow> claimed = new ArrayList<>();
    for (TaskRow t : candidates) {
      if (claimed.size() >= limit) break;
      int r = running.getOrDefault(t.keyId(), 0);
      if (r >= limits.getOrDefault(t.keyId(), defaultMaxConcurrent) || !admit.admit(t, c)) continue;
      List<TaskRow> won = query(c, "UPDATE tasks SET status = 'processing', lease_owner = ?, lease_until = ?,"
          + " attempts = attempts + 1, started_at = COALESCE(started_at, ?), version = version + 1"
          + " WHERE " + dialect.claimRow() + " AND version = ? AND (status = 'pending' OR lease_until < ?) RETURNING " + COLUMNS,
          node, leaseUntil, now, t.id(), t.version(), now);
      if (!won.isEmpty()) {
        running.put(t.keyId(), r + 1);
        claimed.add(won.get(0));
      }
    }
    return claimed;
  }

  /** Extends this node's leases; returns the ids it still holds (the others were cancelled or taken). */
  public Set<String> heartbeat(Connection c, String node, Collection<String> ids, long leaseUntil) throws SQLException {
    Set<String> held = new HashSet<>();
    for (String id : ids) {
      try (PreparedStatement ps = prepare(c, "UPDATE tasks SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'processing'",
          leaseUntil, id, node)) {
        if (ps.executeUpdate() == 1) held.add(id);
      }
    }
    return held;
  }

  /**
   * Hands back this node's leases at a graceful stop: the tasks are claimable at once, and the
   * interrupted attempt does not count against their retry limit.
   */
  public int releaseLeases(Connection c, String node) throws SQLException {
    try (PreparedStatement ps = prepare(c, "UPDATE tasks SET lease_until = 0, attempts = attempts - 1, version = version + 1"
        + " WHERE lease_owner = ? AND status = 'processing'", node)) {
      return ps.executeUpdate();
    }
  }

  /** Progress, stage and logs of a task this node runs. */
  public boolean progress(Connection c, String id, String node, double progress, String stage, String logsJson) throws SQLException {
    try (PreparedStatement ps = prepare(c, "UPDATE tasks SET progress = ?, stage = ?, logs_json = ?, version = version + 1"
        + " WHERE id = ? AND lease_owner = ? AND status = 'processing'", progress, stage, logsJson, id, node)) {
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Ends a task: completed (with output) or failed (with an error). Only from {@code fromStatus}
   * and, when {@code node} is given, only while this node holds the lease. Empty when the task had
   * already moved on (cancelled, or taken over after a lost lease); otherwise the row as it now is.
   */
  public Optional<TaskRow> finish(Connection c, String id, String fromStatus, String node, String status, String outputJson,
      int errorCode, String errorMessage, String errorRaw, String logsJson, long consumed, long now) throws SQLException {
    String sql = "UPDATE tasks SET status = ?, output_json = ?, error_code = ?, error_message = ?, error_raw = ?,"
        + " logs_json = COALESCE(?, logs_json), consumed = ?, frozen = 0, ended_at = ?, progress = CASE WHEN ? = 'completed' THEN 1 ELSE progress END,"
        + " lease_owner = NULL, lease_until = NULL, version = version + 1 WHERE id = ? AND status = ?"
        + (node == null ? "" : " AND lease_owner = ?") + " RETURNING " + COLUMNS;
    Object[] args = node == null
        ? new Object[] {status, outputJson, errorCode, errorMessage, errorRaw, logsJson, consumed, now, status, id, fromStatus}
        : new Object[] {status, outputJson, errorCode, errorMessage, errorRaw, logsJson, consumed, now, status, id, fromStatus, node};
    List<TaskRow> rows = query(c, sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static List<TaskRow> query(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<TaskRow> out = new ArrayList<>();
      while (rs.next()) out.add(read(rs));
      return out;
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) ps.setNull(i + 1, Types.VARCHAR);
      else if (a instanceof Long l) ps.setLong(i + 1, l);
      else if (a instanceof Integer n) ps.setInt(i + 1, n);
      else if (a instanceof Double d) ps.setDouble(i + 1, d);
      else ps.setString(i + 1, a.toString());
    }
    return ps;
  }

  private static TaskRow read(ResultSet rs) throws SQLException {
    return new TaskRow(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getInt(12),
        rs.getString(13), rs.getString(14), rs.getString(15), rs.getDouble(16), rs.getString(17), rs.getLong(18),
        rs.getLong(19), rs.getLong(20), rs.getLong(21), rs.getLong(22), rs.getLong(23), rs.getString(24),
        rs.getString(25), rs.getInt(26), rs.getString(27), rs.getLong(28), rs.getInt(29), rs.getString(30));
  }

  private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, v);
  }

  private static void setTime(PreparedStatement ps, int i, long micros) throws SQLException {
    if (micros == 0) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, micros);
  }
}
