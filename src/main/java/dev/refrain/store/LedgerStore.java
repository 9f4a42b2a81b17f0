package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

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

  /** A task's hold to take: its units come off the key's balance until the task ends. */
  public record Hold(String taskId, long units) {}

  /** A task's hold to end: {@code held} goes back to the key, {@code charge} (at most the hold) is what the task cost. */
  public record Settlement(String taskId, long held, long charge) {}

  /**
   * A limited key's balance, read without a lock; empty for an unlimited or unknown key. Only
   * holds lower a balance (releases, charges and credits never do: a charge is at most its task's
   * hold), so for a caller that keeps the key's other holds out until it commits (the key's create
   * lock, see {@link TaskStore#pendingForCreate}), it is what the key has at least until then.
   */
  public OptionalLong balance(Connection c, String keyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM api_keys WHERE id = ? AND unlimited = 0")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * Takes holds for tasks of one limited key, in order: a ledger row each and one write of the
   * key's row for them all, made last so that its lock is held only until the commit that follows.
   * Holds of 0 units leave no row. Throws rather than take the balance below zero.
   */
  public void hold(Connection c, String keyId, List<Hold> holds) throws SQLException {
    long total = 0;
    for (Hold h : holds) total += Math.max(0, h.units());
    if (total == 0) return;
    long[] r = update(c, "UPDATE api_keys SET balance = balance - ? WHERE id = ? AND unlimited = 0 AND balance >= ?"
        + " RETURNING balance, unlimited", total, keyId, total);
    if (r == null) throw new StoreException("key " + keyId + " can't cover holds of " + total + " units", null);
    long balance = r[0] + total;
    List<Entry> rows = new ArrayList<>();
    for (Hold h : holds) {
      if (h.units() > 0) rows.add(entry(keyId, h.taskId(), "hold", -h.units(), balance -= h.units()));
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
