package dev.refrain.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which database the tests run on: the system property {@code refrain.test.database} is unset or
 * {@code sqlite} (a file in each test's data folder) or {@code postgresql} (a fresh database per
 * data folder on the server at {@code refrain.test.postgresql}, default
 * {@code postgresql://postgres@127.0.0.1:5432}, dropped when the test JVM exits).
 */
public final class TestDatabases {
  private static final String SERVER = System.getProperty("refrain.test.postgresql", "postgresql://postgres@127.0.0.1:5432");
  private static final Map<Path, String> BY_DIR = new ConcurrentHashMap<>();
  private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (String name : CREATED) {
        try {
          admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException e) {
          // best effort: a leftover test database is harmless
        }
      }
    }, "drop-test-databases"));
  }

  private TestDatabases() {}

  public static boolean postgresql() {
    String db = System.getProperty("refrain.test.database", "sqlite");
    if (!db.equals("sqlite") && !db.equals("postgresql")) {
      throw new IllegalStateException("refrain.test.database must be sqlite or postgresql, not '" + db + "'");
    }
    return db.equals("postgresql");
  }

  /** The REFRAIN_DATABASE_URL for a data folder; the same folder always gets the same database. */
  public static String url(Path dataDir) {
    if (!postgresql()) return "sqlite:" + dataDir.resolve("refrain.db");
    return BY_DIR.computeIfAbsent(dataDir.toAbsolutePath().normalize(), d -> fresh());
  }

  /** A new empty PostgreSQL database's URL. */
  public static String fresh() {
    String name = "refrain_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    admin("CREATE DATABASE " + name);
    CREATED.add(name);
    return SERVER + "/" + name;
  }

  private static volatile IllegalStateException unreachable; // once the server failed to answer, fail fast

  private static void admin(String sql) {
    if (unreachable != null) throw unreachable;
    try (Connection c = DriverManager.getConnection(jdbc(SERVER + "/postgres?connectTimeout=5&socketTimeout=60"));
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      if (!"08001".equals(e.getSQLState())) throw new IllegalStateException(e.getMessage(), e);
      throw unreachable = new IllegalStateException("the PostgreSQL tests need a server at " + SERVER + " (" + e.getMessage()
          + "); start it (service postgresql start), point -Drefrain.test.postgresql at one, or skip the PostgreSQL run"
          + " with -Drefrain.test.postgresql.skip", e);
    }
  }

  private static String jdbc(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    int at = rest.indexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    String hostAndPath = rest.substring(at + 1);
    return "jdbc:postgresql://" + hostAndPath + (user == null ? "" : (hostAndPath.contains("?") ? "&" : "?") + "user=" + user);
  }
}
