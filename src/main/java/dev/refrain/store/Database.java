package dev.refrain.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, the schema migrations, and transactions. The one place that knows which
 * database is behind the stores: everything dialect-specific lives here, in {@link Dialect}, or in
 * the per-dialect migration folders.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Dialect dialect;
  private Listener listener;
  // SQLite allows one writer at a time; queueing writers here is cheaper than SQLITE_BUSY retries.
  // Fair: a writer that commits and comes straight back (a group commit's next batch) must not starve
  // the others, the checkpoint that starts the WAL over among them.
  private final ReentrantLock sqliteWriteLock = new ReentrantLock(true);
  private final StatementCache statements;
  private final Thread checkpointer;
  /** The WAL's length, in frames (64 MiB of the default 4 KiB pages), past which a checkpoint starts it over. */
  private static final long RESTART_FRAMES = 16_384;

  private Database(HikariDataSource pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    // SQLite compiles every statement anew on prepare; PostgreSQL's driver caches its own.
    this.statements = dialect == Dialect.SQLITE ? new StatementCache() : null;
    if (dialect == Dialect.SQLITE) {
      checkpointer = Thread.ofPlatform().daemon().name("sqlite-checkpoint").start(this::checkpoints);
    } else {
      checkpointer = null;
    }
  }

  /**
   * Folds the WAL back into the database twice a second, without blocking writers (PASSIVE). Under
   * a steady stream of writes a PASSIVE checkpoint never reaches the last frame, and SQLite starts
   * the WAL over only once one has: the file grew by gigabytes and every read searched a longer WAL
   * index (creates fell from 3,900/s to 2,200/s within a minute). So once the WAL passes
   * {@link #RESTART_FRAMES}, the checkpoint runs again with the write lock held to fold in what
   * came meanwhile (10-20 ms of stopped writes, every few seconds at most); the next write starts
   * the WAL from its beginning, and {@code journal_size_limit} trims the file.
   */
  private void checkpoints() {
    while (!pool.isClosed()) {
      try {
        Thread.sleep(500);
        if (checkpoint() < RESTART_FRAMES) continue;
        sqliteWriteLock.lock();
        try {
          checkpoint();
        } finally {
          sqliteWriteLock.unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!pool.isClosed()) org.slf4j.LoggerFactory.getLogger(Database.class).warn("WAL checkpoint failed", e);
      }
    }
  }

  /** A PASSIVE checkpoint; returns the WAL's length in frames. */
  private long checkpoint() {
    return read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        return rs.next() ? rs.getLong(2) : 0L; // busy, log frames, checkpointed frames
      }
    });
  }

  private Connection wrap(Connection c) throws SQLException {
    return statements == null ? c : statements.wrap(c);
  }

  /** Opens `sqlite:<path>` or `postgresql://[user[:password]@]host[:port]/db[?params]` and migrates the schema. */
  public static Database open(String url) {
    HikariConfig hc = new HikariConfig();
    Dialect dialect;
    if (url.startsWith("sqlite:")) {
      dialect = Dialect.SQLITE;
      Path file = Path.of(url.substring("sqlite:".length()));
      try {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
      } catch (java.io.IOException e) {
        throw new StoreException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
      }
      hc.setJdbcUrl("jdbc:sqlite:" + file);
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.addDataSourceProperty("busy_timeout", "10000");
      hc.addDataSourceProperty("foreign_keys", "true");
      // Checkpoints run in the background (see below), not inside whichever commit crosses the threshold.
      hc.addDataSourceProperty("wal_autocheckpoint", "0");
      hc.addDataSourceProperty("journal_size_limit", Long.toString(64L << 20)); // what a WAL file keeps once it starts over
      hc.setMaximumPoolSize(8);
      hc.setMaxLifetime(0); // a local file: nothing to recycle, and the statement cache lives as long as the connection
    } else if (url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
      if (url.startsWith("jdbc:")) {
        hc.setJdbcUrl(url);
      } else {
        String rest = url.substring(url.indexOf("://") + 3);
        // The JDBC driver does not take user:password@ in the URL, the form most tools print.
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
          String user = rest.substring(0, at);
          int colon = user.indexOf(':');
          hc.setUsername(decode(colon < 0 ? user : user.substring(0, colon)));
          if (colon >= 0) hc.setPassword(decode(user.substring(colon + 1)));
          rest = rest.substring(at + 1);
        }
        hc.setJdbcUrl("jdbc:postgresql://" + rest);
      }
      hc.setMaximumPoolSize(16);
      // A batch of inserts (a group commit's tasks, its ledger entries) goes as one multi-row INSERT.
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
    } else {
      throw new StoreException("REFRAIN_DATABASE_URL must start with sqlite: or postgresql://", null);
    }
    hc.setPoolName("refrain-db");
    hc.setAutoCommit(true);
    probe(hc);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations(dialect.migrations())
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  /**
   * One plain connection with the pool's settings, so a wrong URL, a refused connection or a file
   * that is no database fails at once with the driver's message (Hikari waits a second first).
   */
  private static void probe(HikariConfig hc) {
    java.util.Properties props = new java.util.Properties();
    props.putAll(hc.getDataSourceProperties());
    if (hc.getUsername() != null) props.setProperty("user", hc.getUsername());
    if (hc.getPassword() != null) props.setProperty("password", hc.getPassword());
    try (Connection c = java.sql.DriverManager.getConnection(hc.getJdbcUrl(), props)) {
      c.getMetaData().getDatabaseProductVersion();
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Runs {@code handlers} when another node (or this one) sends a wake-up on their channel. Only
   * PostgreSQL has other nodes; on SQLite every wake-up stays in-process and this does nothing.
   */
  public synchronized void listen(java.util.Map<Channel, java.util.function.Consumer<String>> handlers) {
    if (dialect != Dialect.POSTGRESQL || listener != null) return;
    java.util.Properties credentials = new java.util.Properties();
    if (pool.getUsername() != null) credentials.setProperty("user", pool.getUsername());
    if (pool.getPassword() != null) credentials.setProperty("password", pool.getPassword());
    listener = new Listener(pool.getJdbcUrl(), credentials, handlers);
  }

  /** Within a transaction: wakes {@code channel}'s listeners on every node once it commits. */
  public void notifyOnCommit(Connection c, Channel channel, String payload) throws SQLException {
    dialect.notifyOnCommit(c, channel, java.util.List.of(payload));
  }

  /** Within a transaction: one wake-up per payload on {@code channel}, sent to every node once it commits; one statement. */
  public void notifyOnCommit(Connection c, Channel channel, java.util.Collection<String> payloads) throws SQLException {
    dialect.notifyOnCommit(c, channel, payloads);
  }

  /** Work inside one transaction; committed when {@code work} returns, rolled back if it throws. */
  public <T> T tx(SqlWork<T> work) {
    boolean locked = dialect == Dialect.SQLITE;
    if (locked) sqliteWriteLock.lock();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      T result;
      try {
        result = work.run(wrap(c));
        c.commit();
      } catch (Throwable t) {
        // SQLite ends the transaction itself on some errors (SQLITE_FULL): what the rollback and the
        // switch back to autocommit then say ("no transaction is active") must not hide why.
        try {
          c.rollback();
          c.setAutoCommit(true);
        } catch (SQLException r) {
          t.addSuppressed(r);
        }
        throw t;
      }
      c.setAutoCommit(true);
      return result;
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    } finally {
      if (locked) sqliteWriteLock.unlock();
    }
  }

  /** Read-only work outside a transaction. */
  public <T> T read(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(wrap(c));
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (checkpointer != null) checkpointer.interrupt();
    synchronized (this) {
      if (listener != null) listener.close();
    }
    pool.close();
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
