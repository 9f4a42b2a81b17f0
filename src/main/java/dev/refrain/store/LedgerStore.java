package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** SQL for the append-only `ledger` and the balance it keeps on `api_keys`. */
public final class LedgerStore {
  public record Entry(long id, String keyId, String taskId, String kind, long units, long balanceAfter, long createdAt) {}

  /**
   * Changes a key's balance by {@code units} and records it. A negative change of a limited key
   * only happens when the balance covers it; then the new balance is returned, otherwise empty.
   */
  public OptionalLong append(Connection c, String keyId, String taskId, String kind, long units) throws SQLException {
    long balance;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE api_keys SET balance = balance + ? WHERE id = ? AND (unlimited = 1 OR ? >= 0 OR balance + ? >= 0)")) {
      ps.setLong(1, units);
      ps.setString(2, keyId);
      ps.setLong(3, units);
      ps.setLong(4, units);
      if (ps.executeUpdate() != 1) return OptionalLong.empty();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM api_keys WHERE id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        balance = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger (key_id, task_id, kind, units, balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, keyId);
      if (taskId == null) ps.setNull(2, Types.VARCHAR);
      else ps.setString(2, taskId);
      ps.setString(3, kind);
      ps.setLong(4, units);
      ps.setLong(5, balance);
      ps.setLong(6, Clock.nowMicros());
      ps.executeUpdate();
    }
    return OptionalLong.of(balance);
  }

  public List<Entry> forKey(Connection c, String keyId) throws SQLException {
    return query(c, "SELECT id, key_id, task_id, kind, units, balance_after, created_at FROM ledger WHERE key_id = ? ORDER BY id", keyId);
  }

  public List<Entry> forTask(Connection c, String taskId) throws SQLException {
    return query(c, "SELECT id, key_id, task_id, kind, units, balance_after, created_at FROM ledger WHERE task_id = ? ORDER BY id", taskId);
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
