package dev.refrain.cli;

import dev.refrain.testing.StreamText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** `refrain <args>` as a real process on the test classpath, with only the given REFRAIN_ settings. */
final class CliProcess {
  /** The commands ./refrain starts with its quick-start JVM options. */
  private static final Set<String> SHORT_COMMANDS = Set.of("task", "keys", "backends");

  record Run(int exit, String out) {}

  /** A finished run whose stdout and stderr were kept apart. */
  record Split(int exit, String out, String err) {}

  /** A run in progress: its stdout and stderr are read as it goes. */
  record Started(Process process, CompletableFuture<String> out, CompletableFuture<String> err) {
    /** Waits for the end (failing the test after two minutes). */
    Split await() throws Exception {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the CLI did not end within two minutes; stderr so far: " + err.getNow("?"));
      }
      return new Split(process.exitValue(), out.get(), err.get());
    }
  }

  private CliProcess() {}

  static Run run(Map<String, String> env, String command, String... args) throws Exception {
    Process p = start(env, command, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  /** Starts the command and leaves it running (`serve`), its output and errors on one stream. */
  static Process start(Map<String, String> env, String command, String... args) throws IOException {
    return builder(env, command, args).redirectErrorStream(true).start();
  }

  /** Starts it in {@code dir} with {@code stdin} (null: none) as its input, stdout and stderr apart. */
  static Started launch(Map<String, String> env, Path dir, String stdin, String command, String... args) throws IOException {
    Process p = builder(env, command, args).directory(dir.toFile()).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return new Started(p, StreamText.read(p.getInputStream()), StreamText.read(p.getErrorStream()));
  }

  private static ProcessBuilder builder(Map<String, String> env, String command, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    // As ./refrain runs it: native access allowed, so the JVM prints no warning of its own, and a
    // short command without the optimizing compiler.
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    if (SHORT_COMMANDS.contains(command)) cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.refrain.Main", command));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().putAll(env);
    return pb;
  }
}
