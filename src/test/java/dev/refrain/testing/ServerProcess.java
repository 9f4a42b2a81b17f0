package dev.refrain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.store.Database;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real server process (`java … Main serve`) on a data dir of the test's, for what only a process shows: crashes, kills, restarts. */
public final class ServerProcess {
  private ServerProcess() {}

  /** A key in the store {@code dir}'s server will use, made before the server starts. */
  public static ApiKeys.Issued issueKey(Path dir, String name, long credits) {
    try (Database db = Database.open(TestDatabases.url(dir))) {
      return new ApiKeys(db).create(name, credits, null, false);
    }
  }

  public static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts a server on {@code dir} and {@code port} with the test's store and storage, {@code env} on top; output goes to {@code dir/logName}. */
  public static Process launch(Path dir, int port, String logName, Map<String, String> env) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "dev.refrain.Main", "serve");
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().put("REFRAIN_HOST", "127.0.0.1");
    pb.environment().put("REFRAIN_PORT", Integer.toString(port));
    pb.environment().put("REFRAIN_DATA_DIR", dir.toString());
    if (TestDatabases.postgresql()) pb.environment().put("REFRAIN_DATABASE_URL", TestDatabases.url(dir));
    pb.environment().putAll(TestStorage.settings(dir));
    pb.environment().put("REFRAIN_PRINT_FIRST_KEY", "false");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
    pb.directory(new File(dir.toString()));
    return pb.start();
  }

  public static void awaitHealthy(Api api, Process p) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      assertThat(p.isAlive()).as("server process is alive").isTrue();
      try {
        if (api.get("/healthz", null).status() == 200) return;
      } catch (RuntimeException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy");
  }

  /** As {@link #awaitHealthy(Api, Process)}, with the end of the server's output in the failure: why it refused to start. */
  public static void awaitHealthy(Api api, Process p, Path log) throws InterruptedException {
    try {
      awaitHealthy(api, p);
    } catch (AssertionError e) {
      String out;
      try {
        out = Files.readString(log);
      } catch (IOException io) {
        out = "(unreadable: " + io + ")";
      }
      throw new AssertionError(e.getMessage() + "; the end of " + log + ":\n" + out.substring(Math.max(0, out.length() - 2000)), e);
    }
  }
}
