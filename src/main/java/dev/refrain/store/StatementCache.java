package dev.refrain.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps SQLite's compiled statements per physical connection, so the stores' plain
 * prepare/close code reuses them: `prepareStatement` hands out the cached statement and `close`
 * only clears its parameters. Preparing the task queries was a tenth of a GET's CPU.
 */
final class StatementCache {
  private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

  /** The pooled connection, with statements served from this cache; one thread at a time, as the pool guarantees. */
  Connection wrap(Connection pooled) throws SQLException {
    Connection physical = pooled.unwrap(Connection.class);
    Map<String, PreparedStatement> cache = byConnection.computeIfAbsent(physical, k -> new HashMap<>());
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
            String sql = (String) args[0];
            PreparedStatement ps = cache.get(sql);
            if (ps == null || ps.isClosed()) {
              ps = physical.prepareStatement(sql);
              cache.put(sql, ps);
            }
            return reusable(ps);
          }
          return call(method, pooled, args);
        });
  }

  private static PreparedStatement reusable(PreparedStatement ps) {
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && (args == null || args.length == 0)) {
            ps.clearParameters();
            return null;
          }
          return call(method, ps, args);
        });
  }

  private static Object call(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
