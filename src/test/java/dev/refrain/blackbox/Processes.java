package dev.refrain.blackbox;

import java.io.File;
import dev.refrain.testing.StreamText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child processes as a user starts them: a minimal environment, a working directory, and a bounded wait. */
final class Processes {
  /** A finished run, its stdout and stderr kept apart. */
  record Run(int exit, String out, String err) {
    String both() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Processes() {}

  /**
   * The environment of a user's shell, no more: PATH, HOME, and LANG when set. Nothing of the test's
   * own (no JAVA_HOME, no MAVEN_OPTS, no REFRAIN_*), so the scripts find what they need by themselves.
   */
  static Map<String, String> userEnv() {
    Map<String, String> env = new HashMap<>();
    for (String name : List.of("PATH", "HOME", "LANG")) {
      String v = System.getenv(name);
      if (v != null) env.put(name, v);
    }
    // ./refrain test put its JDK first on the PATH; a user's shell need not have it.
    String jdk = Path.of(System.getProperty("java.home"), "bin").toString();
    env.computeIfPresent("PATH", (k, path) -> String.join(File.pathSeparator,
        Arrays.stream(path.split(File.pathSeparator)).filter(p -> !p.equals(jdk)).toList()));
    return env;
  }

  /** A builder for {@code command} in {@code dir} with exactly {@link #userEnv()} plus {@code env}. */
  static ProcessBuilder builder(Path dir, Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(userEnv());
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs {@code command} to its end, failing the test (and killing it) after {@code timeout}. */
  static Run run(Path dir, Map<String, String> env, Duration timeout, List<String> command) throws IOException, InterruptedException {
    Process p = builder(dir, env, command).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = StreamText.read(p.getInputStream());
    CompletableFuture<String> err = StreamText.read(p.getErrorStream());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill(p);
      throw new AssertionError(command + " did not end within " + timeout + "; stderr so far: " + err.getNow("?"));
    }
    try {
      return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("could not read the output of " + command, e);
    }
  }

  /** Kills a process and everything it started (a build in progress: Maven, Node). */
  static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
