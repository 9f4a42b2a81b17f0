package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.ReverseProxy;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The web workspace in a real headless Chromium: web/e2e/workspace.test.mjs drives the pages with
 * Playwright against a server started here, and each of its scenarios is reported as a test of
 * its own. The engine is "gate", so the script can watch a task held in processing; it asks for
 * the gate on stderr and is answered on stdin. Then the results page's screenshot is checked here.
 */
// Runs once, in the default execution: the pages speak HTTP to the server, the same whatever store it has.
@RunsOnce
class WorkspaceTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("refrain.test.chromium", "/usr/bin/chromium"));
  private static final Path OUT = Path.of("target", "workspace");
  private static final Pattern RESULT = Pattern.compile("^(not )?ok \\d+ - (.*)$");

  private record Scenario(String name, boolean passed, String detail) {}

  private static TestServer ts;
  private static ReverseProxy proxy;
  private static final List<Scenario> scenarios = new ArrayList<>();
  private static final StringBuilder transcript = new StringBuilder();
  private static int exit;

  @BeforeAll
  static void runTheBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("no Chromium at " + CHROMIUM + ": install Debian's (apt-get install -y chromium; ./refrain test does it),"
          + " or point -Drefrain.test.chromium at one");
    }
    GateEngine.open();
    // The loopback proxy in front, with its forwarded headers believed; the browser's own requests carry none.
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_TRUSTED_PROXIES", "127.0.0.1"));
    proxy = ReverseProxy.start(ts.client.base, "/refrain", ReverseProxy.Forwarding.X_FORWARDED, null);
    String user = ts.server.keys().create("alice", 50_000_000L, null, false).secret(); // $5
    String admin = ts.server.keys().create("root", null, null, true).secret();
    String done = makeHistory(user);
    Files.createDirectories(OUT);
    Path audio = OUT.resolve("take.wav");
    Files.write(audio, TestAudio.encoded("wav", TestAudio.tone(3.0, 44100, 1, 330)));

    ProcessBuilder pb = new ProcessBuilder("node", "--test-reporter=tap", "e2e/workspace.test.mjs").directory(Path.of("web").toFile());
    pb.environment().putAll(Map.of(
        "REFRAIN_BASE", ts.server.baseUrl(),
        "REFRAIN_USER_KEY", user,
        "REFRAIN_ADMIN_KEY", admin,
        "REFRAIN_AUDIO_FILE", audio.toAbsolutePath().toString(),
        "REFRAIN_OUT", OUT.toAbsolutePath().toString(),
        "REFRAIN_CHROMIUM", CHROMIUM.toString(),
        "REFRAIN_ADDRESSES", String.join(",", "http://127.0.0.1:" + ts.server.port(), "http://localhost:" + ts.server.port(),
            proxy.url("localhost")),
        "REFRAIN_DONE_TASK", done));
    Process p = pb.start();
    Thread control = Thread.ofVirtual().start(() -> obey(p));
    CompletableFuture<String> tap = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      transcript.append("the script ran for more than 5 minutes and was stopped\n");
    }
    control.join(5_000);
    exit = p.exitValue();
    String report = tap.get(10, TimeUnit.SECONDS);
    synchronized (transcript) {
      transcript.append(report);
    }
    parse(report);
  }

  @AfterAll
  static void stop() {
    GateEngine.open();
    if (proxy != null) proxy.close();
    if (ts != null) ts.close();
  }

  /** Ten completed txt2audio tasks, then three audio2audio tasks whose input can't be fetched; the first's id. */
  private static String makeHistory(String key) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
          "input", Map.of("style_prompt", "history " + i, "duration", 10))).data().path("task_id").asText());
    }
    for (int i = 0; i < 3; i++) {
      ids.add(ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "audio2audio",
          "input", Map.of("style_prompt", "gone", "style_audio", "http://127.0.0.1:1/missing.mp3"))).data().path("task_id").asText());
    }
    for (String id : ids) ts.client.await(id, key, Duration.ofSeconds(60));
    return ids.get(0);
  }

  /** Reads the script's stderr: its requests for the gate are answered on its stdin, the rest kept for the record. */
  private static void obey(Process p) {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        OutputStream answers = p.getOutputStream()) {
      for (String line; (line = err.readLine()) != null; ) {
        switch (line) {
          case "@refrain gate open" -> GateEngine.open();
          case "@refrain gate close" -> GateEngine.close();
          default -> {
            synchronized (transcript) {
              transcript.append("stderr: ").append(line).append('\n');
            }
            continue;
          }
        }
        answers.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        answers.flush();
      }
    } catch (IOException e) {
      synchronized (transcript) {
        transcript.append("control channel: ").append(e).append('\n');
      }
    }
  }

  /** Top-level TAP results, each with the indented diagnostics that follow it. */
  private static void parse(String tap) {
    String name = null;
    boolean passed = false;
    StringBuilder detail = new StringBuilder();
    for (String line : tap.split("\n")) {
      Matcher m = RESULT.matcher(line);
      if (m.matches()) {
        if (name != null) scenarios.add(new Scenario(name, passed, detail.toString()));
        name = m.group(2);
        passed = m.group(1) == null;
        detail.setLength(0);
      } else if (name != null && line.startsWith("  ")) {
        detail.append(line).append('\n');
      } else if (name != null) {
        scenarios.add(new Scenario(name, passed, detail.toString()));
        name = null;
      }
    }
    if (name != null) scenarios.add(new Scenario(name, passed, detail.toString()));
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioPasses() {
    assertThat(scenarios).as("the script's report (exit %d):\n%s", exit, transcript).hasSizeGreaterThanOrEqualTo(8);
    return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
      if (!s.passed()) fail(s.name() + "\n" + s.detail() + "\n--- transcript ---\n" + transcript);
    }));
  }

  @Test
  void theScriptExitsCleanly() {
    assertThat(exit).as("%s", transcript).isZero();
  }

  /**
   * The results page as the browser drew it: a full viewport, and across the waveform's box a
   * drawn wave: ink in nearly every column, reaching well above and below the middle.
   */
  @Test
  void theResultsPageScreenshotShowsTheWaveform() throws Exception {
    Path png = OUT.resolve("workspace-results.png");
    assertThat(png).as("the script saves the screenshot; its report:\n%s", transcript).exists();
    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(1280);
    assertThat(shot.getHeight()).isEqualTo(900);

    JsonNode box = Json.parse(Files.readString(OUT.resolve("workspace-results.json"))).path("waveform");
    int x0 = (int) Math.ceil(box.path("x").asDouble()) + 2;
    int y0 = (int) Math.ceil(box.path("y").asDouble()) + 2;
    int x1 = (int) Math.floor(box.path("x").asDouble() + box.path("width").asDouble()) - 2;
    int y1 = (int) Math.floor(box.path("y").asDouble() + box.path("height").asDouble()) - 2;
    assertThat(x1 - x0).isGreaterThan(500);
    assertThat(y1).isLessThan(shot.getHeight());

    // The canvas's own background shows at its corner; ink is anything clearly apart from it.
    int background = shot.getRGB(x0, y0);
    int inkedColumns = 0;
    int top = y1;
    int bottom = y0;
    int tallest = 0;
    int shortest = y1 - y0;
    for (int x = x0; x <= x1; x++) {
      int columnTop = y1 + 1;
      int columnBottom = y0 - 1;
      for (int y = y0; y <= y1; y++) {
        if (distance(shot.getRGB(x, y), background) > 60) {
          columnTop = Math.min(columnTop, y);
          columnBottom = Math.max(columnBottom, y);
        }
      }
      if (columnBottom < columnTop) continue;
      inkedColumns++;
      top = Math.min(top, columnTop);
      bottom = Math.max(bottom, columnBottom);
      tallest = Math.max(tallest, columnBottom - columnTop);
      shortest = Math.min(shortest, columnBottom - columnTop);
    }
    int mid = (y0 + y1) / 2;
    assertThat(inkedColumns).as("columns of the waveform with ink").isGreaterThan((x1 - x0) * 9 / 10);
    assertThat(mid - top).as("the wave reaches above the middle").isGreaterThan((y1 - y0) / 8);
    assertThat(bottom - mid).as("and below it").isGreaterThan((y1 - y0) / 8);
    // The gate's tone swells and fades every two seconds: the drawing follows the sound, not a block.
    assertThat(tallest - shortest).as("the wave's height follows the audio's loudness").isGreaterThan((y1 - y0) / 5);
  }

  private static int distance(int a, int b) {
    int dr = Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff));
    int dg = Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff));
    int db = Math.abs((a & 0xff) - (b & 0xff));
    return dr + dg + db;
  }
}
