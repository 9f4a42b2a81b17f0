package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for `api_keys`. */
public final class KeyStore {
  private static final String COLUMNS =
      "id, name, key_hash, key_prefix, created_at, disabled, is_admin, unlimited, balance, max_concurrent";

  public void insert(Connection c, KeyRecord k) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, k.id());
      ps.setString(2, k.name());
      ps.setString(3, k.keyHash());
      ps.setString(4, k.prefix());
      ps.setLong(5, k.createdAt());
      ps.setInt(6, k.disabled() ? 1 : 0);
      ps.setInt(7, k.admin() ? 1 : 0);
      ps.setInt(8, k.unlimited() ? 1 : 0);
      ps.setLong(9, k.balance());
      if (k.maxConcurrent() == null) ps.setNull(10, Types.INTEGER);
      else ps.setInt(10, k.maxConcurrent());
      ps.executeUpdate();
    }
  }

  public Optional<KeyRecord> byHash(Connection c, String hash) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", hash);
  }

  public Optional<KeyRecord> byId(Connection c, String id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id);
  }

  /** By id, or by name when exactly one key has it. */
  public Optional<KeyRecord> byIdOrName(Connection c, String idOrName) throws SQLException {
    Optional<KeyRecord> byId = byId(c, idOrName);
    if (byId.isPresent()) return byId;
    List<KeyRecord> named = many(c, "SELECT " + COLUMNS + " FROM api_keys WHERE name = ?", idOrName);
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  public List<KeyRecord> list(Connection c) throws SQLException {
    return many(c, "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at");
  }

  public long count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_keys");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public boolean setDisabled(Connection c, String id, boolean disabled) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET disabled = ? WHERE id = ?")) {
      ps.setInt(1, disabled ? 1 : 0);
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  private static Optional<KeyRecord> one(Connection c, String sql, String arg) throws SQLException {
    List<KeyRecord> all = many(c, sql, arg);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  private static List<KeyRecord> many(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        List<KeyRecord> out = new ArrayList<>();
        while (rs.next()) {
          int mc = rs.getInt(10);
          Integer maxConcurrent = rs.wasNull() ? null : mc; // wasNull speaks of the last column read
          out.add(new KeyRecord(
              rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              rs.getInt(6) != 0, rs.getInt(7) != 0, rs.getInt(8) != 0, rs.getLong(9), maxConcurrent));
        }
        return out;
      }
    }
  }
}
