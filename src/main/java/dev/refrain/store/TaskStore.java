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
  private static final int COLUMN_COUNT = COLUMNS.split(",").length;
  /** {@link #COLUMNS} of the table named t, for statements that join it with another. */
  private static final String T_COLUMNS = "t." + COLUMNS.replace(", ", ", t.");

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

  /** A row locked by this transaction, and where it lies (on PostgreSQL its ctid, valid till the transaction ends; else null). */
  public record Locked(TaskRow row, String place) {}

  /**
   * The rows, locked until the transaction ends where the dialect has row locks, in one statement;
   * on PostgreSQL, rows another transaction holds are left out rather than waited for.
   */
  public List<Locked> lockAll(Connection c, Dialect dialect, Collection<String> ids) throws SQLException {
    boolean pg = dialect == Dialect.POSTGRESQL;
    try (PreparedStatement ps = prepare(c, "SELECT " + COLUMNS + (pg ? ", ctid::text" : "") + " FROM tasks WHERE id IN ("
        + placeholders(ids.size()) + ")" + dialect.forUpdateSkipLocked(), ids.toArray()); ResultSet rs = ps.executeQuery()) {
      List<Locked> out = new ArrayList<>();
      while (rs.next()) out.add(new Locked(read(rs), pg ? rs.getString(COLUMN_COUNT + 1) : null));
      return out;
    }
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
    boolean admit(String taskId, String taskType, Connection claim) throws SQLException;
  }

  /** A task that may be claimed, as read (without locks) at the start of a claim. */
  private record Candidate(String id, String keyId, String taskType, int version) {}

  /**
   * Takes up to {@code limit} runnable tasks of an engine for this node: pending ones, oldest
   * first, and processing ones whose lease ran out (their worker died). A key never runs more than
   * its max concurrency at once, and a task is taken only if {@code admit} accepts it (the engine
   * has a slot for it). Claimed rows come back as they are now stored, in that order. Candidates
   * are read without locks; each is taken only if unchanged since (its version), still runnable
   * and, on PostgreSQL, not being taken by another node right now. A few statements whatever the
   * number of tasks: the keys' claim locks are held from the count of their running tasks to the
   * commit, and other nodes' claims of the keys wait that long.
   */
  public List<TaskRow> claim(Connection c, Dialect dialect, String node, String engine, int limit, long now, long leaseUntil,
      int defaultMaxConcurrent, Admission admit) throws SQLException {
    // The window reaches past tasks that can't run now (their key is at its limit, their type has no slot).
    int window = Math.max(limit * 8, 64);
    List<Candidate> candidates = new ArrayList<>();
    // Two selects, not one with OR, so each walks the (status, engine, created_at) index; the lost leases first.
    try (PreparedStatement ps = prepare(c, "SELECT id, key_id, task_type, version FROM ("
        + "SELECT 0 AS lost, id, key_id, task_type, version, created_at FROM (SELECT id, key_id, task_type, version, created_at"
        + " FROM tasks WHERE status = 'processing' AND engine = ? AND lease_until < ? ORDER BY created_at LIMIT ?) AS a"
        + " UNION ALL SELECT 1 AS lost, id, key_id, task_type, version, created_at FROM (SELECT id, key_id, task_type, version, created_at"
        + " FROM tasks WHERE status = 'pending' AND engine = ? ORDER BY created_at LIMIT ?) AS b) AS candidates"
        + " ORDER BY lost, created_at", engine, now, window, engine, window);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) candidates.add(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
    }
    if (candidates.isEmpty()) return List.of();
    java.util.SortedSet<String> keys = new java.util.TreeSet<>(); // sorted: the order the key locks are taken in
    for (Candidate t : candidates) keys.add(t.keyId());
    dialect.lockKeysForClaim(c, keys);
    Map<String, Integer> room = new HashMap<>(); // per key: how many more of its tasks may run
    try (PreparedStatement ps = prepare(c, "SELECT k.id, k.max_concurrent, (SELECT COUNT(*) FROM tasks t WHERE t.key_id = k.id"
        + " AND t.status = 'processing' AND t.lease_until >= ?) FROM api_keys k WHERE k.id IN (" + placeholders(keys.size()) + ")",
        concat(now, keys)); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = rs.getString(1);
        int max = rs.getInt(2);
        if (rs.wasNull()) max = defaultMaxConcurrent;
        room.put(key, max - rs.getInt(3));
      }
    }
    List<Candidate> taken = new ArrayList<>();
    for (Candidate t : candidates) {
      if (taken.size() >= limit) break;
      int r = room.getOrDefault(t.keyId(), defaultMaxConcurrent);
      if (r <= 0 || !admit.admit(t.id(), t.taskType(), c)) continue;
      room.put(t.keyId(), r - 1);
      taken.add(t);
    }
    if (taken.isEmpty()) return List.of();
    String set = "UPDATE tasks SET status = 'processing', lease_owner = ?, lease_until = ?, attempts = attempts + 1,"
        + " started_at = COALESCE(started_at, ?), version = version + 1";
    if (dialect != Dialect.POSTGRESQL) {
      List<TaskRow> claimed = new ArrayList<>();
      for (Candidate t : taken) {
        claimed.addAll(query(c, set + " WHERE id = ? AND version = ? AND (status = 'pending' OR lease_until < ?) RETURNING " + COLUMNS,
            node, leaseUntil, now, t.id(), t.version(), now));
      }
      return claimed;
    }
    // One statement for them all; rows another node is taking right now are skipped, not waited for.
    String[] ids = new String[taken.size()];
    Integer[] versions = new Integer[taken.size()];
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = taken.get(i).id();
      versions[i] = taken.get(i).version();
      order.put(ids[i], i);
    }
    List<TaskRow> claimed;
    // Each row is looked up by its primary key (the lateral join), whatever the planner guesses of the table's size.
    try (PreparedStatement ps = c.prepareStatement(set + " WHERE id IN (SELECT t.id FROM unnest(?::text[], ?::int[]) AS w(wid, wversion)"
        + " CROSS JOIN LATERAL (SELECT id FROM tasks WHERE id = w.wid AND version = w.wversion AND (status = 'pending' OR lease_until < ?)"
        + " FOR UPDATE SKIP LOCKED) AS t) RETURNING " + COLUMNS)) {
      ps.setString(1, node);
      ps.setLong(2, leaseUntil);
      ps.setLong(3, now);
      ps.setArray(4, c.createArrayOf("text", ids));
      ps.setArray(5, c.createArrayOf("integer", versions));
      ps.setLong(6, now);
      claimed = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) claimed.add(read(rs));
      }
    }
    claimed.sort(java.util.Comparator.comparingInt(t -> order.get(t.id())));
    return claimed;
  }

  private static Object[] concat(Object first, Collection<?> rest) {
    return concat(new Object[] {first}, rest);
  }

  private static Object[] concat(Object[] first, Collection<?> rest) {
    Object[] out = java.util.Arrays.copyOf(first, first.length + rest.size());
    int i = first.length;
    for (Object o : rest) out[i++] = o;
    return out;
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
   * How a task ends: as {@code status} (completed with output, or failed with an error), only from
   * {@code fromStatus} and, when {@code node} is given, only while this node holds the lease;
   * {@code logsJson} null keeps the stored logs. {@code place}: where the row lies, if this transaction holds it (see {@link #lockAll}).
   */
  public record End(String id, String place, String fromStatus, String node, String status, String outputJson, int errorCode,
      String errorMessage, String errorRaw, String logsJson, long consumed) {}

  private static final String END_SET = "status = ?, output_json = ?, error_code = ?, error_message = ?, error_raw = ?,"
      + " logs_json = COALESCE(?, logs_json), consumed = ?, frozen = 0, ended_at = ?, progress = CASE WHEN ? = 'completed' THEN 1 ELSE progress END,"
      + " lease_owner = NULL, lease_until = NULL, version = version + 1";

  /** Ends a task (see {@link End}). Empty when it had already moved on (cancelled, or taken over after a lost lease); otherwise the row as it now is. */
  public Optional<TaskRow> finish(Connection c, End e, long now) throws SQLException {
    String sql = "UPDATE tasks SET " + END_SET + " WHERE id = ? AND status = ?" + (e.node() == null ? "" : " AND lease_owner = ?")
        + " RETURNING " + COLUMNS;
    Object[] head = {e.status(), e.outputJson(), e.errorCode(), e.errorMessage(), e.errorRaw(), e.logsJson(), e.consumed(), now,
        e.status(), e.id(), e.fromStatus()};
    Object[] args = e.node() == null ? head : concat(head, List.of(e.node()));
    List<TaskRow> rows = query(c, sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /**
   * Ends tasks (see {@link #finish}); the rows of those that ended, by id. On PostgreSQL one
   * statement for them all, when the transaction holds them all (each has its place).
   */
  public Map<String, TaskRow> finishAll(Connection c, Dialect dialect, List<End> ends, long now) throws SQLException {
    Map<String, TaskRow> out = new HashMap<>();
    if (dialect != Dialect.POSTGRESQL || ends.size() == 1 || ends.stream().anyMatch(e -> e.place() == null)) {
      for (End e : ends) finish(c, e, now).ifPresent(t -> out.put(t.id(), t));
      return out;
    }
    int n = ends.size();
    String[] ids = new String[n], places = new String[n], from = new String[n], nodes = new String[n], status = new String[n], output = new String[n],
        message = new String[n], raw = new String[n], logs = new String[n];
    Integer[] codes = new Integer[n];
    Long[] consumed = new Long[n];
    for (int i = 0; i < n; i++) {
      End e = ends.get(i);
      ids[i] = e.id();
      places[i] = e.place();
      from[i] = e.fromStatus();
      nodes[i] = e.node();
      status[i] = e.status();
      output[i] = e.outputJson();
      codes[i] = e.errorCode();
      message[i] = e.errorMessage();
      raw[i] = e.errorRaw();
      logs[i] = e.logsJson();
      consumed[i] = e.consumed();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE tasks t SET status = e.status, output_json = e.output, error_code = e.code,"
        + " error_message = e.message, error_raw = e.raw, logs_json = COALESCE(e.logs, t.logs_json), consumed = e.consumed, frozen = 0,"
        + " ended_at = ?, progress = CASE WHEN e.status = 'completed' THEN 1 ELSE t.progress END, lease_owner = NULL, lease_until = NULL,"
        + " version = t.version + 1 FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[],"
        + " ?::text[], ?::bigint[]) AS e(eid, efrom, enode, status, output, code, message, raw, logs, consumed)"
        // The rows are found by their places (a TID scan).
        + " WHERE t.ctid = ANY(?::tid[]) AND t.id = e.eid AND t.status = e.efrom AND (e.enode IS NULL OR t.lease_owner = e.enode)"
        + " RETURNING " + T_COLUMNS)) {
      // Planned for each batch: a plan cached while the table was small (a new database) would read it all.
      ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
      int i = 1;
      ps.setLong(i++, now);
      ps.setArray(i++, c.createArrayOf("text", ids));
      for (Object[] column : new Object[][] {from, nodes, status, output}) ps.setArray(i++, c.createArrayOf("text", column));
      ps.setArray(i++, c.createArrayOf("integer", codes));
      for (Object[] column : new Object[][] {message, raw, logs}) ps.setArray(i++, c.createArrayOf("text", column));
      ps.setArray(i++, c.createArrayOf("bigint", consumed));
      ps.setArray(i, c.createArrayOf("text", places));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TaskRow t = read(rs);
          out.put(t.id(), t);
        }
      }
    }
    return out;
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
