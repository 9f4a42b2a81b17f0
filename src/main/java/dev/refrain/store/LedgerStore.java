package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the append-only `ledger` and the balance it keeps on `api_keys`: the balance always
 * equals the sum of the key's ledger rows. Unlimited keys skip holds (nothing to protect) but
 * their charges are recorded all the same, as usage.
 */
public final class LedgerStore {
  public record Entry(long id, String keyId, String taskId, String kind, long units, long balanceAfter, long createdAt) {}

  /** Adds credit to a key. */
  public void credit(Connection c, String keyId, long units) throws SQLException {
    long balance = update(c, "UPDATE api_keys SET balance = balance + ? WHERE id = ? RETURNING balance, unlimited", units, keyId)[0];
    insert(c, keyId, null, "credit", units, balance);
  }

  /**
   * Takes a hold for a task; false when a limited key's balance can't cover it. An unlimited
   * key's row is only read, not written: its lock would queue every task of the key (across
   * nodes, on PostgreSQL) behind each other for nothing.
   */
  public boolean hold(Connection c, String keyId, String taskId, long units) throws SQLException {
    long[] r = update(c, "UPDATE api_keys SET balance = balance - ? WHERE id = ? AND unlimited = 0 AND balance >= ?"
        + " RETURNING balance, unlimited", units, keyId, units);
    if (r != null) {
      if (units > 0) insert(c, keyId, taskId, "hold", -units, r[0]);
      return true;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT unlimited FROM api_keys WHERE id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** Ends a task's hold: releases it and charges what the task really cost (at most the hold). */
  public void settle(Connection c, String keyId, String taskId, long held, long charge) throws SQLException {
    long[] r = update(c, "UPDATE api_keys SET balance = balance + CASE WHEN unlimited = 1 THEN 0 ELSE ? END - ?"
        + " WHERE id = ? RETURNING balance, unlimited", held, charge, keyId);
    boolean limited = r[1] == 0;
    if (limited && held > 0) insert(c, keyId, taskId, "release", held, r[0] + charge);
    if (charge > 0) insert(c, keyId, taskId, "charge", -charge, r[0]);
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

  private static void insert(Connection c, String keyId, String taskId, String kind, long units, long balanceAfter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger (key_id, task_id, kind, units, balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, keyId);
      if (taskId == null) ps.setNull(2, Types.VARCHAR);
      else ps.setString(2, taskId);
      ps.setString(3, kind);
      ps.setLong(4, units);
      ps.setLong(5, balanceAfter);
      ps.setLong(6, Clock.nowMicros());
      ps.executeUpdate();
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
