package dev.refrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import dev.refrain.testing.Api;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `refrain serve` with REFRAIN_LOG_FORMAT=json, as a real process: its log is one JSON object per line. */
// Runs once, in the default execution: log lines are the same whatever store the server has.
@RunsOnce
class JsonLogTest {
  private static final Pattern SERVING = Pattern.compile("Refrain is serving on (http://\\S+)");

  @Test
  void everyLogLineIsAJsonObjectAndARunningTasksLinesCarryItsId() throws Exception {
    Path dir = Files.createTempDirectory("refrain-log-");
    Map<String, String> env = new HashMap<>(Map.of("REFRAIN_DATA_DIR", dir.toString()));
    if (TestDatabases.postgresql()) env.put("REFRAIN_DATABASE_URL", TestDatabases.url(dir));
    CliProcess.Run created = CliProcess.run(env, "keys", "create", "--name", "logs");
    assertThat(created.exit()).as(created.out()).isZero();
    String[] createdLines = created.out().strip().split("\n");
    String key = createdLines[createdLines.length - 1].strip();

    env.putAll(Map.of("REFRAIN_LOG_FORMAT", "json", "REFRAIN_HOST", "127.0.0.1", "REFRAIN_PORT", "0",
        "REFRAIN_PRINT_FIRST_KEY", "false", "REFRAIN_ENGINE", "slow", "SLOW_ENGINE_MILLIS", "120000"));
    Process serve = CliProcess.start(env, "serve");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (java.io.IOException e) {
        // the process is gone: what it wrote is in lines
      }
    });
    String taskId;
    try {
      String base = awaitLine(lines, SERVING, serve).group(1);
      Api api = new Api(base);
      taskId = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}").data().path("task_id").asText();
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!api.get("/api/v1/task/" + taskId, key).data().path("status").asText().equals("processing")) {
        assertThat(System.nanoTime()).as("task started").isLessThan(end);
        Thread.sleep(50);
      }
    } finally {
      // SIGTERM (Process.destroy would also close our end of its output): the shutdown hands the running task back, and says so.
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }

    // The console's lines for people (the serving line, and the indented ones under it) are not log lines.
    List<JsonNode> events = lines.stream().filter(l -> !SERVING.matcher(l).find() && !l.startsWith("  ")).map(l -> {
      JsonNode e = Json.parseOrNull(l.getBytes(StandardCharsets.UTF_8));
      assertThat(e).as("a JSON log line: %s", l).isNotNull();
      return e;
    }).toList();
    assertThat(events).isNotEmpty().allSatisfy(e -> {
      assertThat(e.path("timestamp").isNumber()).as("%s", e).isTrue();
      assertThat(e.path("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG");
      assertThat(e.path("loggerName").asText()).isNotEmpty();
      assertThat(e.path("threadName").asText()).isNotEmpty();
      assertThat(e.has("formattedMessage")).isTrue();
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("loggerName").asText()).isEqualTo("dev.refrain.Server");
      assertThat(e.path("formattedMessage").asText()).startsWith("Refrain listening on 127.0.0.1:");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("mdc").path("task_id").asText()).isEqualTo(taskId);
      assertThat(e.path("formattedMessage").asText()).contains("left to be retried");
    });
    assertThat(String.join("\n", lines)).doesNotContain(key);
  }

  /** Waits for a line the process prints, failing with its output if it exits first. */
  private static Matcher awaitLine(List<String> lines, Pattern pattern, Process p) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      for (String l : lines) {
        Matcher m = pattern.matcher(l);
        if (m.find()) return m;
      }
      if (!p.isAlive() || System.nanoTime() > end) throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", lines));
      Thread.sleep(50);
    }
  }
}
