package dev.refrain.testing;

import dev.refrain.store.Database;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads a server's store from the test, as cluster tests check what several processes left there. */
public final class StoreQueries {
  private StoreQueries() {}

  /** The first column of the first row: a count, a sum, a balance. */
  public static long count(Database db, String sql) {
    return db.read(c -> {
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Waits until {@code sql} counts at least {@code atLeast}; fails with the last count at the timeout. */
  public static void awaitCount(Database db, String sql, long atLeast, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    long n;
    while ((n = count(db, sql)) < atLeast) {
      if (System.nanoTime() > end) throw new AssertionError("timed out at " + n + " < " + atLeast + ": " + sql);
      Thread.sleep(100);
    }
  }

  /** Task id -> ledger kind (hold, release, charge, ...) -> rows: a task billed once has one of each. */
  public static Map<String, Map<String, Long>> ledgerKinds(Database db) {
    return db.read(c -> {
      Map<String, Map<String, Long>> out = new HashMap<>();
      try (var s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT task_id, kind, COUNT(*) FROM ledger WHERE task_id IS NOT NULL GROUP BY task_id, kind")) {
        while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
      }
      return out;
    });
  }
}
