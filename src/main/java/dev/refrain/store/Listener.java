package dev.refrain.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives other nodes' wake-ups: one thread LISTENs on a dedicated connection (outside the pool,
 * which would recycle it) and hands each notification to its channel's handler. A dropped
 * connection is opened again with back-off; since notifications sent meanwhile are lost, every
 * handler then runs once with an empty payload, which the loops take as "look again".
 */
final class Listener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  /** How long one wait for notifications blocks; bounds how long close() takes, costs nothing on the server. */
  private static final int WAIT_MILLIS = 500;

  static final String APPLICATION_NAME = "refrain-listener";

  private final String jdbcUrl;
  private final Properties properties;
  private final Map<Channel, Consumer<String>> handlers;
  private final Thread thread;
  private volatile boolean closed;

  Listener(String jdbcUrl, Properties credentials, Map<Channel, Consumer<String>> handlers) {
    this.jdbcUrl = jdbcUrl;
    this.properties = new Properties();
    properties.putAll(credentials);
    properties.setProperty("ApplicationName", APPLICATION_NAME); // how operators (and a test) find it in pg_stat_activity
    properties.setProperty("tcpKeepAlive", "true"); // an idle LISTEN connection would not notice a vanished server otherwise
    this.handlers = Map.copyOf(handlers);
    this.thread = Thread.ofPlatform().daemon().name("db-listener").start(this::run);
  }

  private void run() {
    long backoff = 100;
    boolean first = true;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(jdbcUrl, properties)) {
        try (Statement st = c.createStatement()) {
          for (Channel ch : handlers.keySet()) st.execute("LISTEN " + ch.sqlName());
        }
        if (!first) {
          log.info("database listener reconnected");
          handlers.forEach((ch, h) -> h.accept(""));
        }
        first = false;
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
          if (received == null) continue;
          for (PGNotification n : received) deliver(n);
        }
      } catch (SQLException e) {
        if (closed) return;
        first = false;
        log.warn("database listener lost its connection ({}); reconnecting in {} ms", e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private void deliver(PGNotification n) {
    for (Map.Entry<Channel, Consumer<String>> e : handlers.entrySet()) {
      if (!e.getKey().sqlName().equals(n.getName())) continue;
      try {
        e.getValue().accept(n.getParameter());
      } catch (RuntimeException ex) {
        log.error("handling a {} notification failed", n.getName(), ex);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2 * WAIT_MILLIS + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
