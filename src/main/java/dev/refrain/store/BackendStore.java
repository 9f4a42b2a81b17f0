package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SQL for `backend_slots` and `backend_health`: the GPU backends' capacity and health as every node
 * of a PostgreSQL cluster sees them (the tables exist there only). Times are microseconds.
 */
public final class BackendStore {
  /** A backend's shared health: in rotation or not, failures in a row, the last problem, paused until when. */
  public record Health(String backend, boolean healthy, int failures, String problem, long pausedUntil) {}

  /** Makes sure the backend has rows for {@code slots} slots and its health; rows already there are kept. */
  public void register(Connection c, String backend, int slots) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO backend_slots (backend, slot)"
        + " SELECT ?, s FROM generate_series(0, ? - 1) AS s ON CONFLICT DO NOTHING")) {
      ps.setString(1, backend);
      ps.setInt(2, slots);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO backend_health (backend) VALUES (?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, backend);
      ps.executeUpdate();
    }
  }

  /**
   * Leases one of the backend's first {@code slots} slots for a task, if one is free (or its lease
   * ran out) and the backend is in rotation and not paused. A slot another transaction is taking
   * right now is passed over, so leases never wait on each other.
   */
  public boolean lease(Connection c, String backend, int slots, String node, String taskId, long now, long until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_slots SET lease_owner = ?, task_id = ?, lease_until = ?"
        + " WHERE backend = ? AND slot = (SELECT s.slot FROM backend_slots s WHERE s.backend = ? AND s.slot < ?"
        + " AND (s.lease_owner IS NULL OR s.lease_until < ?)"
        + " AND EXISTS (SELECT 1 FROM backend_health h WHERE h.backend = s.backend AND h.healthy = 1 AND h.paused_until <= ?)"
        + " ORDER BY s.slot LIMIT 1 FOR UPDATE OF s SKIP LOCKED)")) {
      ps.setString(1, node);
      ps.setString(2, taskId);
      ps.setLong(3, until);
      ps.setString(4, backend);
      ps.setString(5, backend);
      ps.setInt(6, slots);
      ps.setLong(7, now);
      ps.setLong(8, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** Frees the slot the node holds on the backend for the task; false when it held none (its lease had run out and been taken). */
  public boolean release(Connection c, String backend, String node, String taskId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_slots SET lease_owner = NULL, task_id = NULL, lease_until = 0"
        + " WHERE backend = ? AND lease_owner = ? AND task_id = ?")) {
      ps.setString(1, backend);
      ps.setString(2, node);
      ps.setString(3, taskId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Extends the node's leases held for these tasks. */
  public int renew(Connection c, String node, Collection<String> taskIds, long until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_slots SET lease_until = ? WHERE lease_owner = ? AND task_id = ANY (?)")) {
      ps.setLong(1, until);
      ps.setString(2, node);
      ps.setArray(3, c.createArrayOf("text", taskIds.toArray()));
      return ps.executeUpdate();
    }
  }

  /** Frees every slot the node holds (it is stopping). */
  public int releaseAll(Connection c, String node) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_slots SET lease_owner = NULL, task_id = NULL, lease_until = 0"
        + " WHERE lease_owner = ?")) {
      ps.setString(1, node);
      return ps.executeUpdate();
    }
  }

  /** A failed job or probe: counted, and at {@code outAfter} failures in a row the backend leaves rotation. */
  public Health failed(Connection c, String backend, String problem, int outAfter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_health SET failures = failures + 1, problem = ?,"
        + " healthy = CASE WHEN failures + 1 >= ? THEN 0 ELSE healthy END WHERE backend = ?"
        + " RETURNING backend, healthy, failures, problem, paused_until")) {
      ps.setString(1, problem);
      ps.setInt(2, outAfter);
      ps.setString(3, backend);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new SQLException("backend " + backend + " has no health row");
        return read(rs);
      }
    }
  }

  /**
   * A finished job or a passed probe: the failure count starts again, and a backend out of
   * rotation comes back. True when this call brought it back. Writes nothing when there is
   * nothing to change, as after most jobs.
   */
  public boolean succeeded(Connection c, String backend) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_health h SET failures = 0, healthy = 1"
        + " FROM (SELECT healthy FROM backend_health WHERE backend = ? FOR UPDATE) old"
        + " WHERE h.backend = ? AND (h.failures > 0 OR h.healthy = 0) RETURNING old.healthy")) {
      ps.setString(1, backend);
      ps.setString(2, backend);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == 0;
      }
    }
  }

  /** The backend said it is full: no node leases it before {@code until}. */
  public void pause(Connection c, String backend, long until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_health SET paused_until = GREATEST(paused_until, ?) WHERE backend = ?")) {
      ps.setLong(1, until);
      ps.setString(2, backend);
      ps.executeUpdate();
    }
  }

  /** Whether this node is the one to probe the backend now: true for one caller per {@code interval}. */
  public boolean probeTurn(Connection c, String backend, long now, long interval) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE backend_health SET probed_at = ? WHERE backend = ? AND probed_at <= ?")) {
      ps.setLong(1, now);
      ps.setString(2, backend);
      ps.setLong(3, now - interval);
      return ps.executeUpdate() == 1;
    }
  }

  /** Every backend's shared health. */
  public List<Health> health(Connection c) throws SQLException {
    List<Health> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT backend, healthy, failures, problem, paused_until FROM backend_health");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(read(rs));
    }
    return out;
  }

  private static Health read(ResultSet rs) throws SQLException {
    return new Health(rs.getString(1), rs.getInt(2) == 1, rs.getInt(3), rs.getString(4), rs.getLong(5));
  }
}
