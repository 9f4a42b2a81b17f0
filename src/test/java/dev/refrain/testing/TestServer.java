package dev.refrain.testing;

import dev.refrain.Server;
import dev.refrain.auth.ApiKeys;
import dev.refrain.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real server on a loopback port with its own data folder, configured for tests. */
public final class TestServer implements AutoCloseable {
  public final Server server;
  public final Path dataDir;
  public final Api client;

  private TestServer(Server server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
    this.client = new Api("http://127.0.0.1:" + server.port());
  }

  public static TestServer start() throws IOException {
    return start(Map.of());
  }

  /** Starts with test defaults (loopback allowed, quick webhook retries) plus {@code overrides}. */
  public static TestServer start(Map<String, String> overrides) throws IOException {
    Path dir = Files.createTempDirectory("refrain-test-");
    return start(dir, overrides);
  }

  public static TestServer start(Path dir, Map<String, String> overrides) throws IOException {
    Map<String, String> s = new HashMap<>(defaults(dir));
    if (TestDatabases.postgresql() && !overrides.containsKey("REFRAIN_DATABASE_URL")) s.put("REFRAIN_DATABASE_URL", TestDatabases.url(dir));
    s.putAll(overrides);
    return new TestServer(Server.start(Config.fromMap(s)), dir);
  }

  public static Map<String, String> defaults(Path dir) {
    Map<String, String> s = new HashMap<>();
    s.put("REFRAIN_HOST", "127.0.0.1");
    s.put("REFRAIN_PORT", "0");
    s.put("REFRAIN_DATA_DIR", dir.toString());
    s.put("REFRAIN_FETCH_ALLOW_PRIVATE", "true");
    s.put("REFRAIN_WEBHOOK_ALLOW_PRIVATE", "true");
    s.put("REFRAIN_WEBHOOK_BASE_DELAY", "200ms");
    s.put("REFRAIN_WEBHOOK_TIMEOUT", "2s");
    s.put("REFRAIN_PRINT_FIRST_KEY", "false");
    s.putAll(TestStorage.settings(dir));
    return s;
  }

  /** A new unlimited key's secret. */
  public String newKey() {
    return server.keys().create("test", null, null, false).secret();
  }

  public ApiKeys.Issued newKey(Long creditUnits, Integer maxConcurrent) {
    return server.keys().create("test", creditUnits, maxConcurrent, false);
  }

  @Override
  public void close() {
    server.close();
  }
}
