package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL for the task counts the metrics report: one grouped query over every node's tasks. */
public final class TaskTally {
  /** The tasks of one type in one status, and when the oldest of them was created (microseconds). */
  public record Group(String taskType, String status, long count, long oldestCreatedAt) {}

  public List<Group> read(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT task_type, status, COUNT(*), MIN(created_at) FROM tasks GROUP BY task_type, status");
        ResultSet rs = ps.executeQuery()) {
      List<Group> out = new ArrayList<>();
      while (rs.next()) out.add(new Group(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
      return out;
    }
  }
}
