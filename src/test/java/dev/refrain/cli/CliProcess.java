package dev.refrain.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `refrain <args>` as a real process on the test classpath, with only the given REFRAIN_ settings. */
final class CliProcess {
  record Run(int exit, String out) {}

  private CliProcess() {}

  static Run run(Map<String, String> env, String command, String... args) throws Exception {
    Process p = start(env, command, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  /** Starts the command and leaves it running (`serve`), its output and errors on one stream. */
  static Process start(Map<String, String> env, String command, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // As ./refrain runs it: native access allowed, so the JVM prints no warning of its own.
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.refrain.Main", command));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
