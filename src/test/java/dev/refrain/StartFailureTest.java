package dev.refrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refrain.testing.RunsOnce;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `refrain serve` as a real process: whatever stops it from serving, it says so in one line and
 * exits non-zero at once, so a supervisor sees the failure; a SIGTERM once it serves is a clean
 * exit 0. How fast each failure exits is measured by `bench/start/run`, not here.
 */
// Runs once, in the default execution: each process is given its own settings, whatever the suite runs on.
@RunsOnce
class StartFailureTest {
  /** Far above the goal (2 s): only a process that hangs, as the first MCP release did, fails this. */
  static final Duration EXIT_WITHIN = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void aClassMissingFromTheInstallationStopsTheStartNamingIt() throws Exception {
    // The shipped classpath once lacked the JSON Schema validator the MCP SDK loads while /mcp starts.
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("json-schema-validator"))
        .collect(Collectors.joining(File.pathSeparator));

    Exit exit = serve(classpath, settings());

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: the installation is incomplete: class com.networknt.schema.")
        .contains("is missing from the classpath");
  }

  @Test
  void aPortInUseStopsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = settings();
      env.put("REFRAIN_PORT", String.valueOf(taken.getLocalPort()));

      Exit exit = serve(env);

      assertThat(exit.status()).isEqualTo(1);
      assertThat(exit.line()).isEqualTo("refrain: cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + " (REFRAIN_HOST, REFRAIN_PORT): the port is already in use");
    }
  }

  @Test
  void aDataDirThatIsAFileStopsTheStart() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Map<String, String> env = settings();
    env.put("REFRAIN_DATA_DIR", file.toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).isEqualTo("refrain: cannot start: data dir " + file
        + " is not usable (REFRAIN_DATA_DIR): " + file + " is a file, not a folder");
  }

  @Test
  void aDataDirInsideAFileStopsTheStart() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Map<String, String> env = settings();
    env.put("REFRAIN_DATA_DIR", file.resolve("data").toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: data dir " + file.resolve("data") + " is not usable (REFRAIN_DATA_DIR): ");
  }

  @Test
  void aDataDirItMayNotCreateStopsTheStart() throws Exception {
    // Even root may not make folders in sysfs: a permission failure that holds for any user.
    Path denied = Path.of("/sys", "refrain-data");
    assumeTrue(Files.isDirectory(denied.getParent()) && !Files.exists(denied), "a sysfs at /sys");
    Map<String, String> env = settings();
    env.put("REFRAIN_DATA_DIR", denied.toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: data dir " + denied + " is not usable (REFRAIN_DATA_DIR): ")
        .containsAnyOf("not permitted", "Read-only", "denied");
  }

  @Test
  void anExistingDataDirItMayNotWriteStopsTheStartSayingWhy() throws Exception {
    // A folder that is there but takes no new entries, even from root: a process's folder in procfs.
    Path readOnly = Path.of("/proc", "1");
    assumeTrue(Files.isDirectory(readOnly) && !Files.exists(readOnly.resolve("tmp")), "a procfs at /proc");
    Map<String, String> env = settings();
    env.put("REFRAIN_DATA_DIR", readOnly.toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).isEqualTo("refrain: cannot start: data dir " + readOnly + " is not usable (REFRAIN_DATA_DIR): "
        + readOnly.resolve("tmp") + " cannot be created there");
  }

  @Test
  void aBadSettingStopsTheStartAsAUsageError() throws Exception {
    Map<String, String> env = settings();
    env.put("REFRAIN_MAX_ATTEMPTS", "many");

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(2);
    assertThat(exit.line()).startsWith("refrain: REFRAIN_MAX_ATTEMPTS").contains("'many'");
  }

  @Test
  void aMissingTlsKeyStopsTheStartNamingTheSetting() throws Exception {
    Map<String, String> env = settings();
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    env.put("REFRAIN_TLS_CERT", cert.toString());
    env.put("REFRAIN_TLS_KEY", dir.resolve("key.pem").toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).isEqualTo("refrain: cannot start: HTTPS: REFRAIN_TLS_KEY (" + dir.resolve("key.pem") + "): no such file");
  }

  @Test
  void aTlsCertificateWithoutItsKeyIsABadSetting() throws Exception {
    Map<String, String> env = settings();
    env.put("REFRAIN_TLS_CERT", dir.resolve("cert.pem").toString());

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(2);
    assertThat(exit.line()).isEqualTo("refrain: REFRAIN_TLS_CERT and REFRAIN_TLS_KEY must be set together (the certificate chain and its private key)");
  }

  @Test
  void anUnreachableDatabaseStopsTheStartWithoutShowingItsPassword() throws Exception {
    Map<String, String> env = settings();
    env.put("REFRAIN_DATABASE_URL", "postgresql://refrain:hunter2@127.0.0.1:" + closedPort() + "/refrain");

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: database postgresql://127.0.0.1:").contains("refused")
        .doesNotContain("hunter2");
  }

  @Test
  void anUnreachableBucketStopsTheStart() throws Exception {
    Map<String, String> env = settings();
    env.put("REFRAIN_STORAGE", "s3://audio/prod");
    env.put("REFRAIN_S3_ENDPOINT", "http://127.0.0.1:" + closedPort());
    env.put("REFRAIN_S3_PATH_STYLE", "true");
    env.put("REFRAIN_S3_ACCESS_KEY_ID", "id");
    env.put("REFRAIN_S3_SECRET_ACCESS_KEY", "hunter2");

    Exit exit = serve(env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: storage s3://audio/prod/: ").contains("Connection refused")
        .doesNotContain("hunter2");
  }

  @Test
  void aFailedMigrationStopsTheStart() throws Exception {
    // Someone else's tables in the file, and no schema history: Flyway refuses to migrate over them.
    Path db = dir.resolve("data").resolve("refrain.db");
    Files.createDirectories(db.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)");
    }

    Exit exit = serve(settings());

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: database sqlite:" + db + ": Found non-empty schema(s)");
  }

  @Test
  void aFileThatIsNoDatabaseStopsTheStart() throws Exception {
    Path db = dir.resolve("data").resolve("refrain.db");
    Files.createDirectories(db.getParent());
    Files.writeString(db, "these are not the pages you are looking for".repeat(100));

    Exit exit = serve(settings());

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.line()).startsWith("refrain: cannot start: database sqlite:" + db + ": ").contains("not a database");
  }

  @Test
  void theCauseIsLoggedAtDebug() throws Exception {
    Map<String, String> env = settings();
    env.put("REFRAIN_DATABASE_URL", "postgresql://127.0.0.1:" + closedPort() + "/refrain");
    env.put("REFRAIN_LOG_LEVEL", "debug");

    Exit exit = serve(System.getProperty("java.class.path"), env);

    assertThat(exit.status()).isEqualTo(1);
    assertThat(exit.output()).contains("refrain: cannot start: database").contains("DEBUG dev.refrain.Main - the cause")
        .contains("org.postgresql.util.PSQLException").contains("\tat ");
  }

  @Test
  void aSigtermOnceServingExitsZero() throws Exception {
    Map<String, String> env = settings();
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    env.put("REFRAIN_PORT", String.valueOf(port));
    Process p = process(System.getProperty("java.class.path"), env).redirectOutput(dir.resolve("serve.out").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int status = 0;
      while (status != 200 && System.nanoTime() < end && p.isAlive()) {
        try {
          status = http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(status).as("/healthz").isEqualTo(200);

      p.destroy(); // SIGTERM

      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  private Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    env.put("REFRAIN_HOST", "127.0.0.1");
    env.put("REFRAIN_PORT", "0");
    env.put("REFRAIN_DATA_DIR", dir.resolve("data").toString());
    return env;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  record Exit(int status, String output) {
    /** The output's only line: a failed start says one thing. */
    String line() {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines).as("the output of a failed start").hasSize(1);
      return lines.getFirst();
    }
  }

  private Exit serve(Map<String, String> env) throws Exception {
    return serve(System.getProperty("java.class.path"), env);
  }

  private Exit serve(String classpath, Map<String, String> env) throws Exception {
    Path output = Files.createTempFile(dir, "serve", ".out");
    Process p = process(classpath, env).redirectOutput(output.toFile()).start();
    try {
      assertThat(p.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)).as("the process exited").isTrue();
      return new Exit(p.exitValue(), Files.readString(output));
    } finally {
      p.destroyForcibly();
    }
  }

  private static ProcessBuilder process(String classpath, Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.refrain.Main", "serve");
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true);
  }
}
