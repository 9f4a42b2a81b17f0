package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** SQL for webhook deliveries (one row per event) and their attempts. */
public final class WebhookStore {
  public record Delivery(String id, String taskId, String endpoint, String secret, String event, String payload,
      String state, int attempts, long nextAttemptAt, Integer lastStatus, String lastError, long createdAt, long deliveredAt) {}

  public record Attempt(String deliveryId, int attempt, long at, Integer httpStatus, String error, long durationMs) {}

  private static final String COLUMNS = "id, task_id, endpoint, secret, event, payload, state, attempts, next_attempt_at,"
      + " last_status, last_error, created_at, delivered_at";

  public void insert(Connection c, Delivery d) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL)")) {
      ps.setString(1, d.id());
      ps.setString(2, d.taskId());
      ps.setString(3, d.endpoint());
      if (d.secret() == null) ps.setNull(4, Types.VARCHAR);
      else ps.setString(4, d.secret());
      ps.setString(5, d.event());
      ps.setString(6, d.payload());
      ps.setString(7, d.state());
      ps.setInt(8, d.attempts());
      ps.setLong(9, d.nextAttemptAt());
      ps.setLong(10, d.createdAt());
      ps.executeUpdate();
    }
  }

  /** Pending deliveries due by {@code now}, oldest first. */
  public List<Delivery> due(Connection c, long now, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries"
        + " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?")) {
      ps.setLong(1, now);
      ps.setInt(2, limit);
      return read(ps);
    }
  }

  /** When the next pending delivery falls due, if any. */
  public OptionalLong nextDue(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE state = 'pending'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long v = rs.getLong(1);
      return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }
  }

  /**
   * Moves a pending delivery's next attempt to {@code at}, provided it is still at attempt
   * {@code attempts} and due by {@code dueBy}. A sender takes a delivery this way before sending
   * (false: another node took it first), pushing the next attempt past the send's end so no other
   * node sends it meanwhile; should the sender die, the delivery falls due again then.
   */
  public boolean reschedule(Connection c, String id, int attempts, long dueBy, long at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = ?"
        + " WHERE id = ? AND state = 'pending' AND attempts = ? AND next_attempt_at <= ?")) {
      ps.setLong(1, at);
      ps.setString(2, id);
      ps.setInt(3, attempts);
      ps.setLong(4, dueBy);
      return ps.executeUpdate() == 1;
    }
  }

  public List<Delivery> forTask(Connection c, String taskId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE task_id = ? ORDER BY created_at, id")) {
      ps.setString(1, taskId);
      return read(ps);
    }
  }

  /** Records one attempt and the delivery's new state in the same transaction. */
  public void recordAttempt(Connection c, Attempt a, String state, long nextAttemptAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.deliveryId());
      ps.setInt(2, a.attempt());
      ps.setLong(3, a.at());
      if (a.httpStatus() == null) ps.setNull(4, Types.INTEGER);
      else ps.setInt(4, a.httpStatus());
      if (a.error() == null) ps.setNull(5, Types.VARCHAR);
      else ps.setString(5, a.error());
      ps.setLong(6, a.durationMs());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?,"
        + " last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?")) {
      ps.setString(1, state);
      ps.setInt(2, a.attempt());
      ps.setLong(3, nextAttemptAt);
      if (a.httpStatus() == null) ps.setNull(4, Types.INTEGER);
      else ps.setInt(4, a.httpStatus());
      if (a.error() == null) ps.setNull(5, Types.VARCHAR);
      else ps.setString(5, a.error());
      if (state.equals("delivered")) ps.setLong(6, a.at());
      else ps.setNull(6, Types.BIGINT);
      ps.setString(7, a.deliveryId());
      ps.executeUpdate();
    }
  }

  public List<Attempt> attempts(Connection c, String deliveryId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id, attempt, at, http_status, error, duration_ms"
        + " FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt")) {
      ps.setString(1, deliveryId);
      try (ResultSet rs = ps.executeQuery()) {
        List<Attempt> out = new ArrayList<>();
        while (rs.next()) {
          int st = rs.getInt(4);
          Integer status = rs.wasNull() ? null : st;
          out.add(new Attempt(rs.getString(1), rs.getInt(2), rs.getLong(3), status, rs.getString(5), rs.getLong(6)));
        }
        return out;
      }
    }
  }

  private static List<Delivery> read(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<Delivery> out = new ArrayList<>();
      while (rs.next()) {
        int ls = rs.getInt(10);
        Integer lastStatus = rs.wasNull() ? null : ls;
        out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9), lastStatus, rs.getString(11), rs.getLong(12), rs.getLong(13)));
      }
      return out;
    }
  }
}
