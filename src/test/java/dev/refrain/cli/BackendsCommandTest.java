package dev.refrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.engine.backend.sim.AceServerSimulator;
import dev.refrain.engine.backend.sim.AceStepApiSimulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `refrain backends check` as a real process against simulated backends. */
class BackendsCommandTest {
  static String check(Map<String, String> env) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.refrain.Main", "backends", "check"))
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void printsWhatEachBackendReports() throws Exception {
    try (AceStepApiSimulator api = AceStepApiSimulator.start(); AceServerSimulator cpp = AceServerSimulator.start()) {
      cpp.healthy(false);
      String out = check(Map.of(
          "REFRAIN_BACKEND_GPU1_KIND", "acestep-api", "REFRAIN_BACKEND_GPU1_URL", api.url(), "REFRAIN_BACKEND_GPU1_SLOTS", "2",
          "REFRAIN_BACKEND_CPP_KIND", "acestep-cpp", "REFRAIN_BACKEND_CPP_URL", cpp.url(), "REFRAIN_BACKEND_CPP_TASK_TYPES", "txt2audio,extend",
          "REFRAIN_BACKEND_CPP_NODES", "gpu-box", "REFRAIN_NODE_NAME", "front"));
      assertThat(out).contains("gpu1 (acestep-api at " + api.url() + ", 2 slot(s))").contains("health: ok").contains("stats:")
          .contains("serves: [audio2audio, edit, extend, txt2audio], slots: 2");
      assertThat(out).contains("cpp (acestep-cpp at " + cpp.url()).contains("nodes [gpu-box]").contains("health: NOT OK")
          .contains("serves: [extend, txt2audio], slots: 1\n    not among this node's backends (its NODES): this node sends it no work");
      assertThat(out.split("not among this node's backends", -1)).as("gpu1 serves every node").hasSize(2);
    }
  }

  @Test
  void withoutBackendsItSaysWhatServesTasks() throws Exception {
    assertThat(check(Map.of())).contains("no backends configured").contains("preview");
  }
}
