package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for `uploads`: files clients sent (ephemeral resources, inline base64 inputs) and when they expire. */
public final class UploadStore {
  public record Upload(String id, String keyId, String fileName, String blobKey, long size, long createdAt, long expiresAt) {}

  public void insert(Connection c, Upload u) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO uploads (id, key_id, file_name, blob_key, size, created_at, expires_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, u.id());
      ps.setString(2, u.keyId());
      ps.setString(3, u.fileName());
      ps.setString(4, u.blobKey());
      ps.setLong(5, u.size());
      ps.setLong(6, u.createdAt());
      ps.setLong(7, u.expiresAt());
      ps.executeUpdate();
    }
  }

  public Optional<Upload> byBlobKey(Connection c, String blobKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, key_id, file_name, blob_key, size, created_at, expires_at FROM uploads WHERE blob_key = ?")) {
      ps.setString(1, blobKey);
      List<Upload> l = read(ps);
      return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }
  }

  public List<Upload> expired(Connection c, long now, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, key_id, file_name, blob_key, size, created_at, expires_at FROM uploads"
        + " WHERE expires_at < ? ORDER BY expires_at LIMIT ?")) {
      ps.setLong(1, now);
      ps.setInt(2, limit);
      return read(ps);
    }
  }

  public void delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  private static List<Upload> read(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<Upload> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
      }
      return out;
    }
  }
}
