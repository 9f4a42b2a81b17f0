package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key's usage per UTC day, summed in the database from the ledger and the tasks table. Days are
 * numbered from the Unix epoch ({@code created_at / DAY}): integer division of the microsecond
 * columns, the same on SQLite and PostgreSQL.
 */
public final class UsageStore {
  public static final long DAY_MICROS = 86_400_000_000L;

  /**
   * One day: units charged, net change of the balance (credits, holds, releases and charges), and
   * tasks created.
   */
  public record Day(long charged, long balanceChange, long tasks) {}

  /** The days from {@code firstDay} on that saw any ledger row or task, by day number. */
  public Map<Long, Day> since(Connection c, String keyId, long firstDay) throws SQLException {
    long from = firstDay * DAY_MICROS;
    Map<Long, long[]> sums = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT created_at / " + DAY_MICROS + ", SUM(CASE WHEN kind = 'charge' THEN -units ELSE 0 END), SUM(units)"
            + " FROM ledger WHERE key_id = ? AND created_at >= ? GROUP BY 1")) {
      ps.setString(1, keyId);
      ps.setLong(2, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] s = sums.computeIfAbsent(rs.getLong(1), d -> new long[3]);
          s[0] = rs.getLong(2);
          s[1] = rs.getLong(3);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT created_at / " + DAY_MICROS + ", COUNT(*) FROM tasks WHERE key_id = ? AND created_at >= ? GROUP BY 1")) {
      ps.setString(1, keyId);
      ps.setLong(2, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) sums.computeIfAbsent(rs.getLong(1), d -> new long[3])[2] = rs.getLong(2);
      }
    }
    Map<Long, Day> out = new TreeMap<>();
    sums.forEach((day, s) -> out.put(day, new Day(s[0], s[1], s[2])));
    return out;
  }
}
