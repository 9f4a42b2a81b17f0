package dev.refrain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Locale;

/**
 * What differs between the two databases, in one place; the stores' other SQL is common. SQLite
 * has one writer at a time (Database queues them), so its transactions need no row locks and no
 * wake-ups between processes. PostgreSQL serves several nodes at once: rows are locked where a
 * read decides a write, claims skip rows another node is taking, and commits wake the other
 * nodes through NOTIFY.
 */
public enum Dialect {
  SQLITE, POSTGRESQL;

  /** The Flyway folder with this dialect's schema. */
  String migrations() {
    return "classpath:db/migration/" + name().toLowerCase(Locale.ROOT);
  }

  /** Appended to a SELECT whose rows the transaction goes on to change. */
  String forUpdate() {
    return this == POSTGRESQL ? " FOR UPDATE" : "";
  }

  /** Appended to a SELECT whose rows the transaction goes on to change, to pass over rather than wait for rows another holds. */
  String forUpdateSkipLocked() {
    return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /**
   * Serialises claims touching these keys until the transaction ends, so two nodes counting a
   * key's running tasks cannot both take its last free place. Advisory locks, not row locks: they
   * hold up no other writer of the keys (holds, settlements). Taken in the keys' order, one
   * statement for them all, so claims cannot deadlock.
   */
  void lockKeysForClaim(Connection c, java.util.SortedSet<String> keyIds) throws SQLException {
    if (this != POSTGRESQL || keyIds.isEmpty()) return;
    // unnest yields the array in order, and the lock of each row is taken as the row is produced.
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(" + CLAIM_LOCK_SPACE + ", hashtext(k))"
        + " FROM unnest(?::text[]) AS k")) {
      ps.setArray(1, c.createArrayOf("text", keyIds.toArray()));
      ps.executeQuery().close();
    }
  }

  /**
   * Appended to a SELECT of `api_keys` rows that the transaction goes on to write, or holds to keep
   * other creates of the keys out (see {@code LedgerStore#lockKeys}): the rows come, and on
   * PostgreSQL are locked, in id order (byte order, as Java's sorted maps of key ids have it), the
   * order in which every transaction that writes several keys' rows writes them, so no two wait on
   * each other in a cycle. SQLite's transactions already write one at a time.
   */
  String keysInOrderForUpdate() {
    // FOR NO KEY UPDATE, as an UPDATE of the balance takes: it lets inserts referencing the key (tasks, ledger) through.
    return this == POSTGRESQL ? " ORDER BY id COLLATE \"C\" FOR NO KEY UPDATE" : " ORDER BY id";
  }

  /** Advisory lock space of the per-key claim locks (an arbitrary constant, "rf"). */
  private static final int CLAIM_LOCK_SPACE = 0x7266;

  /**
   * Queues wake-ups for every node, one per payload, sent when the transaction commits (and
   * dropped if it rolls back); one statement for them all.
   */
  void notifyOnCommit(Connection c, Channel channel, Collection<String> payloads) throws SQLException {
    if (this != POSTGRESQL || payloads.isEmpty()) return;
    if (payloads.size() == 1) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        ps.setString(1, channel.sqlName());
        ps.setString(2, payloads.iterator().next());
        ps.executeQuery().close();
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
      ps.setString(1, channel.sqlName());
      ps.setArray(2, c.createArrayOf("text", payloads.toArray()));
      ps.executeQuery().close();
    }
  }
}
