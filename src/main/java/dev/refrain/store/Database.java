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
 * database is behind the stores: everything dialect-specific lives here or in the per-dialect
 * migration folders.
 */
public final class Database implements AutoCloseable {
  public enum Dialect { SQLITE, POSTGRESQL }

  private final HikariDataSource pool;
  private final Dialect dialect;
  // SQLite allows one writer at a time; queueing writers here is cheaper than SQLITE_BUSY retries.
  private final ReentrantLock sqliteWriteLock = new ReentrantLock();
  private final StatementCache statements;
  private final Thread checkpointer;

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

  /** Folds the WAL back into the database twice a second, without blocking writers (PASSIVE). */
  private void checkpoints() {
    while (!pool.isClosed()) {
      try {
        Thread.sleep(500);
        read(c -> {
          try (var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
          }
          return null;
        });
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!pool.isClosed()) org.slf4j.LoggerFactory.getLogger(Database.class).warn("WAL checkpoint failed", e);
      }
    }
  }

  private Connection wrap(Connection c) throws SQLException {
    return statements == null ? c : statements.wrap(c);
  }

  /** Opens `sqlite:<path>` or `postgresql://host/db` and migrates the schema. */
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
      hc.setMaximumPoolSize(8);
      hc.setMaxLifetime(0); // a local file: nothing to recycle, and the statement cache lives as long as the connection
    } else if (url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
      hc.setJdbcUrl(url.startsWith("jdbc:") ? url : "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3));
      hc.setMaximumPoolSize(16);
    } else {
      throw new StoreException("REFRAIN_DATABASE_URL must start with sqlite: or postgresql://", null);
    }
    hc.setPoolName("refrain-db");
    hc.setAutoCommit(true);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Work inside one transaction; committed when {@code work} returns, rolled back if it throws. */
  public <T> T tx(SqlWork<T> work) {
    boolean locked = dialect == Dialect.SQLITE;
    if (locked) sqliteWriteLock.lock();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(wrap(c));
        c.commit();
        return result;
      } catch (Throwable t) {
        c.rollback();
        throw t;
      } finally {
        c.setAutoCommit(true);
      }
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
    pool.close();
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
