package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL for the append-only `ledger` and the balance it keeps on `api_keys`: a limited key's
 * balance always equals the sum of its ledger rows. Unlimited keys skip holds (nothing to
 * protect) and keep no balance, but their charges are recorded all the same, as usage.
 */
public final class LedgerStore {
  public record Entry(long id, String keyId, String taskId, String kind, long units, long balanceAfter, long createdAt) {}

  /** Adds credit to a key. */
  public void credit(Connection c, String keyId, long units) throws SQLException {
    long balance = update(c, "UPDATE api_keys SET balance = balance + ? WHERE id = ? RETURNING balance, unlimited", units, keyId)[0];
    insert(c, List.of(entry(keyId, null, "credit", units, balance)));
  }

  /** A task's hold to take: its units come off its key's balance until the task ends. */
  public record Hold(String keyId, String taskId, long units) {}

  /** A task's hold to end: {@code held} goes back to the key, {@code charge} (at most the hold) is what the task cost. */
  public record Settlement(String taskId, long held, long charge) {}

  /**
   * Locks the keys' rows until the transaction ends (on PostgreSQL; SQLite's transactions write one
   * at a time), in key order, and returns the balances of the limited ones (unlimited and unknown
   * keys are left out). Every batch of creates takes it: creates of a key, on every node, wait for
   * each other from here to their commit, so what they count and read of the key (its pending
   * tasks, its balance) stays true until then. Releases, charges and credits of the key wait too.
   */
  public Map<String, Long> lockKeys(Connection c, Dialect dialect, Collection<String> keyIds) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, unlimited, balance FROM api_keys WHERE id IN ("
        + TaskStore.placeholders(keyIds.size()) + ")" + dialect.keysInOrderForUpdate())) {
      int i = 1;
      for (String k : keyIds) ps.setString(i++, k);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(2) == 0) out.put(rs.getString(1), rs.getLong(3));
        }
      }
    }
    return out;
  }

  /**
   * Takes holds for tasks of limited keys, in order, from {@code balances}, the keys' balances as
   * {@link #lockKeys} read them in this transaction: a ledger row each (none for a hold of 0)
   * and one write of each key's row, in key order; two statements in all. Throws rather than take
   * a balance below zero.
   */
  public void hold(Connection c, Map<String, Long> balances, List<Hold> holds) throws SQLException {
    Map<String, Long> taken = new TreeMap<>(); // key order: see Dialect.keysInOrderForUpdate
    List<Entry> rows = new ArrayList<>();
    for (Hold h : holds) {
      if (h.units() <= 0) continue;
      long total = taken.merge(h.keyId(), h.units(), Long::sum);
      long after = balances.get(h.keyId()) - total;
      if (after < 0) throw new IllegalStateException("key " + h.keyId() + " can't cover a hold of " + h.units() + " units");
      rows.add(entry(h.keyId(), h.taskId(), "hold", -h.units(), after));
    }
    if (rows.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET balance = balance - ? WHERE id = ?")) {
      for (Map.Entry<String, Long> e : taken.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setString(2, e.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    insert(c, rows);
  }

  /**
   * Ends tasks' holds, all of one key: releases each hold and charges what each task really cost.
   * A limited key's row is written once for them all. An unlimited key's is not written at all:
   * it took no holds and has no balance to keep (it is never shown), so its ledger is the record
   * of its charges alone, each with a balance_after of 0, and its row is no lock that the
   * completions of its tasks (on every node) wait on for each other.
   */
  public void settle(Connection c, String keyId, List<Settlement> settlements) throws SQLException {
    long net = 0;
    for (Settlement s : settlements) net += s.held() - s.charge();
    long[] r = update(c, "UPDATE api_keys SET balance = balance + ? WHERE id = ? AND unlimited = 0 RETURNING balance, unlimited", net, keyId);
    List<Entry> rows = new ArrayList<>();
    long balance = r == null ? 0 : r[0] - net;
    for (Settlement s : settlements) {
      if (r != null && s.held() > 0) rows.add(entry(keyId, s.taskId(), "release", s.held(), balance += s.held()));
      if (s.charge() > 0) rows.add(entry(keyId, s.taskId(), "charge", -s.charge(), r == null ? 0 : (balance -= s.charge())));
    }
    insert(c, rows);
  }

  public List<Entry> forKey(Connection c, String keyId) throws SQLException {
    return query(c, "SELECT id, key_id, task_id, kind, units, balance_after, created_at FROM ledger WHERE key_id = ? ORDER BY id", keyId);
  }

  public List<Entry> forTask(Connection c, String taskId) throws SQLException {
    return query(c, "SELECT id, key_id, task_id, kind, units, balance_after, created_at FROM ledger WHERE task_id = ? ORDER BY id", taskId);
  }

  /** Runs an UPDATE ... RETURNING balance, unlimited; null when no row matched. */
  private static long[] update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) ps.setLong(i + 1, l);
        else ps.setString(i + 1, (String) args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
      }
    }
  }

  private static Entry entry(String keyId, String taskId, String kind, long units, long balanceAfter) {
    return new Entry(0, keyId, taskId, kind, units, balanceAfter, Clock.nowMicros());
  }

  /** Appends rows (their ids are the database's), in one batch. */
  private static void insert(Connection c, List<Entry> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger (key_id, task_id, kind, units, balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Entry e : rows) {
        ps.setString(1, e.keyId());
        if (e.taskId() == null) ps.setNull(2, Types.VARCHAR);
        else ps.setString(2, e.taskId());
        ps.setString(3, e.kind());
        ps.setLong(4, e.units());
        ps.setLong(5, e.balanceAfter());
        ps.setLong(6, e.createdAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static List<Entry> query(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        List<Entry> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
        return out;
      }
    }
  }
}
