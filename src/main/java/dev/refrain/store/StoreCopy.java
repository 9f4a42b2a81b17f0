package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies every row of one store into another, empty one: how a single-node installation moves to
 * PostgreSQL. All or nothing (one transaction on the target), then checked: the same row counts,
 * and every limited key's balance still equals the sum of its ledger (an unlimited key keeps no
 * balance: its ledger only records its charges).
 */
public final class StoreCopy {
  /** Every table, parents before children. */
  static final List<String> TABLES = List.of("api_keys", "tasks", "ledger", "webhook_deliveries", "webhook_attempts", "uploads");
  private static final int BATCH = 500;

  private StoreCopy() {}

  /** Rows copied per table, in copy order. */
  public static Map<String, Long> copy(Database from, Database to) {
    Map<String, Long> target = counts(to);
    long present = target.values().stream().mapToLong(Long::longValue).sum();
    if (present > 0) {
      throw new StoreException("the target store already holds " + present + " row(s) " + nonEmpty(target)
          + "; migrate-store only fills an empty store", null);
    }
    Map<String, Long> copied = to.tx(out -> from.read(in -> {
      Map<String, Long> rows = new LinkedHashMap<>();
      for (String table : TABLES) rows.put(table, copyTable(in, out, table));
      if (to.dialect() == Dialect.POSTGRESQL) {
        // Rows came with their ids: move the ledger's id sequence past them.
        try (var s = out.createStatement()) {
          s.execute("SELECT setval(pg_get_serial_sequence('ledger', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ledger");
        }
      }
      return rows;
    }));
    Map<String, Long> after = counts(to);
    if (!after.equals(copied)) throw new StoreException("row counts differ after the copy: " + after + " vs " + copied, null);
    List<String> off = unbalancedKeys(to);
    if (!off.isEmpty()) throw new StoreException("balances differ from their ledgers after the copy for key(s) " + off, null);
    return Collections.unmodifiableMap(copied);
  }

  private static long copyTable(Connection in, Connection out, String table) throws SQLException {
    long n = 0;
    try (PreparedStatement select = in.prepareStatement("SELECT * FROM " + table);
        ResultSet rs = select.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      int columns = meta.getColumnCount();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= columns; i++) names.add(meta.getColumnName(i));
      String insert = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
          + String.join(", ", Collections.nCopies(columns, "?")) + ")";
      try (PreparedStatement ps = out.prepareStatement(insert)) {
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) ps.setObject(i, rs.getObject(i));
          ps.addBatch();
          if (++n % BATCH == 0) ps.executeBatch();
        }
        if (n % BATCH != 0) ps.executeBatch();
      }
    }
    return n;
  }

  static Map<String, Long> counts(Database db) {
    return db.read(c -> {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String table : TABLES) {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
      return counts;
    });
  }

  private static List<String> unbalancedKeys(Database db) {
    return db.read(c -> {
      List<String> off = new ArrayList<>();
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT k.id FROM api_keys k WHERE k.unlimited = 0 AND k.balance <> COALESCE((SELECT SUM(l.units) FROM ledger l WHERE l.key_id = k.id), 0)")) {
        while (rs.next()) off.add(rs.getString(1));
      }
      return off;
    });
  }

  private static String nonEmpty(Map<String, Long> counts) {
    List<String> tables = new ArrayList<>();
    counts.forEach((t, n) -> {
      if (n > 0) tables.add(t + ": " + n);
    });
    return "(" + String.join(", ", tables) + ")";
  }
}
