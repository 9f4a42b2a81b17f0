package dev.refrain.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.blackbox.ReadmeWalk.Block;
import dev.refrain.blackbox.ReadmeWalk.Command;
import dev.refrain.testing.Api;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the README's walk-through as a reader would: every {@code curl} with {@code bash -c} in a scratch
 * folder, with KEY, BASE and AUDIO set as the README says to set them, and the placeholders filled in
 * from what the server answered. Checks each answer as the README describes it, and each task it made
 * to the end: completed, and its audio as long as asked.
 */
final class WalkThrough {
  static final String README_BASE = "http://localhost:8080";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
  private static final Duration TASK_LIMIT = Duration.ofMinutes(3);
  private static final double TOLERANCE = 0.5;
  private static final Pattern OUTPUT_FILE = Pattern.compile("\\s-o\\s+(\\S+)");
  /** curl, alone or at the end of a pipeline (printf ... | curl ... @-). */
  private static final Pattern CURL = Pattern.compile("^curl\\s|\\|\\s*curl\\s");
  private static final Pattern CREATE = Pattern.compile("\\$BASE/api/v1/task(\\s|$)");

  /** A task the walk-through made, and what became of it. */
  static final class Task {
    final String id;
    final String type;
    final JsonNode input;
    JsonNode end;
    Path downloaded;

    Task(String id, String type, JsonNode input) {
      this.id = id;
      this.type = type;
      this.input = input;
    }
  }

  private final ShippedServer server;
  private final Api api;
  private final Path dir;
  private final String label;
  private final Map<String, String> env = new HashMap<>();
  final List<Task> tasks = new ArrayList<>();
  final List<String> uploads = new ArrayList<>();
  private Path lastDownload;

  WalkThrough(ShippedServer server, Path dir, String label) {
    this.server = server;
    this.api = new Api(server.base);
    this.dir = dir;
    this.label = label;
  }

  void run(Block block) throws Exception {
    say("block: " + block.title());
    int before = tasks.size();
    for (Command c : block.commands()) run(block, c);
    for (Task t : tasks.subList(before, tasks.size())) finish(block, t);
  }

  private void run(Block block, Command c) throws Exception {
    String code = c.code();
    Matcher export = Pattern.compile("export (\\w+)=(.+)").matcher(code);
    if (code.equals("./refrain serve")) {
      say("  (./refrain serve: the server this stage started)");
    } else if (export.matches()) {
      String name = export.group(1);
      String value = switch (name) {
        case "KEY" -> {
          assertThat(export.group(2)).as("the README's KEY").startsWith("rk_");
          yield server.key;
        }
        case "BASE" -> {
          assertThat(export.group(2)).as("the README's BASE: the default port").isEqualTo(README_BASE);
          yield server.base;
        }
        case "AUDIO" -> {
          assertThat(export.group(2)).as("the README's AUDIO").isEqualTo("<that url>");
          assertThat(uploads).as("export AUDIO=<that url> after an upload").isNotEmpty();
          yield uploads.getLast();
        }
        default -> throw new AssertionError("the walk-through exports " + name + ", which this test does not know: " + code);
      };
      env.put(name, value);
      say("  " + name + "=" + value);
    } else if (CURL.matcher(code).find()) {
      curl(block, c);
    } else {
      fail("a command in the walk-through this test does not know how to run: " + c.text());
    }
  }

  private void curl(Block block, Command c) throws Exception {
    String text = fill(c.text());
    String code = fill(c.code());
    if (code.contains("take.mp3") && !Files.exists(dir.resolve("take.mp3"))) {
      // The reader's own recording: the song the txt2audio block downloaded.
      assertThat(lastDownload).as("a downloaded song to upload as take.mp3").isNotNull();
      Files.copy(lastDownload, dir.resolve("take.mp3"), StandardCopyOption.REPLACE_EXISTING);
    }
    Matcher file = OUTPUT_FILE.matcher(code);
    boolean create = CREATE.matcher(code).find() && (code.contains(" -d ") || code.contains(" --data"));
    Processes.Run r = bash(text);
    say("  $ " + oneLine(text));
    assertThat(r.exit()).as("exit status of %s\n%s", code, r.both()).isZero();
    if (file.find()) {
      Path saved = dir.resolve(file.group(1).replace("\"", ""));
      assertThat(saved).as("the file %s writes", code).isNotEmptyFile();
      say("  => " + saved.getFileName() + " (" + Files.size(saved) + " bytes)");
      lastDownload = saved;
      if (!tasks.isEmpty() && c.text().contains("<audio_url>")) tasks.getLast().downloaded = saved;
      return;
    }
    JsonNode answer = json(code, r.out());
    say("  => " + oneLine(r.out()));
    assertThat(answer.path("code").asInt(0)).as("the envelope code of %s: %s", code, r.out()).isBetween(200, 499);
    if (code.contains("/healthz")) {
      assertThat(answer.path("data").path("status").asText()).as("/healthz: %s", r.out()).isEqualTo("ok");
    }
    if (create) {
      assertThat(answer.path("code").asInt()).as("the create in '%s' answers code 200: %s", block.title(), r.out()).isEqualTo(200);
      JsonNode data = answer.path("data");
      assertThat(data.path("task_id").asText()).as("the created task's id: %s", r.out()).isNotBlank();
      tasks.add(new Task(data.path("task_id").asText(), data.path("task_type").asText(), data.path("input")));
    }
    if (code.contains("/api/ephemeral_resource")) {
      assertThat(answer.path("data").path("url").asText()).as("the upload's url: %s", r.out()).startsWith("http");
      uploads.add(answer.path("data").path("url").asText());
    }
    if (c.expected().isPresent()) {
      String shown = c.expected().get().replace(README_BASE, server.base);
      assertThat(LooseJson.mismatches(LooseJson.pattern(shown), answer))
          .as("the answer of %s against the README's '# => %s':\n%s", code, c.expected().get(), r.out()).isEmpty();
    }
    if (c.poll()) poll(code, text, answer);
  }

  /** The README's "poll until ...": the same command again until the task has ended. */
  private void poll(String code, String text, JsonNode answer) throws Exception {
    assertThat(tasks).as("a task to poll").isNotEmpty();
    long end = System.nanoTime() + TASK_LIMIT.toNanos();
    int polls = 1;
    while (!ended(answer)) {
      assertThat(System.nanoTime()).as("the task ends within %s of polling; last answer %s", TASK_LIMIT, answer).isLessThan(end);
      Thread.sleep(500);
      Processes.Run r = bash(text);
      assertThat(r.exit()).as(r.both()).isZero();
      answer = json(code, r.out());
      polls++;
    }
    say("  (polled " + polls + " times: " + answer.path("data").path("status").asText() + ")");
    tasks.getLast().end = answer.path("data");
  }

  /** A task the block made: completed, its audio_url downloads and is as long as asked. */
  private void finish(Block block, Task t) throws Exception {
    if (t.end == null) t.end = await(t.id);
    assertThat(t.end.path("status").asText()).as("the %s task of '%s' completes: %s", t.type, block.title(), t.end)
        .isEqualTo("completed");
    double expected = switch (t.type) {
      case "txt2audio" -> t.input.path("duration").asDouble();
      case "audio2audio" -> secondsAt(t.input.path("style_audio").asText());
      case "edit" -> secondsAt(t.input.path("audio").asText());
      case "extend" -> t.input.path("left_extend_duration").asDouble() + secondsAt(t.input.path("audio").asText())
          + t.input.path("right_extend_duration").asDouble();
      default -> throw new AssertionError("a task type the walk-through should not make: " + t.type);
    };
    assertThat(expected).as("the length the %s task asks for", t.type).isPositive();
    String url = t.end.path("output").path("audio_url").asText();
    double got = secondsAt(url);
    say("  " + t.type + " " + t.id + ": completed, " + url + " decodes to " + String.format("%.3f", got) + " s (asked " + expected + " s)");
    assertThat(got).as("the length of the %s output %s", t.type, url).isCloseTo(expected, within(TOLERANCE));
    if (t.downloaded != null) {
      assertThat(AudioDecoder.decode(Files.readAllBytes(t.downloaded), 600).seconds())
          .as("the length of %s, as the README downloaded it", t.downloaded.getFileName()).isCloseTo(expected, within(TOLERANCE));
    }
  }

  /** The audio at {@code url}, downloaded and decoded: its length in seconds. */
  double secondsAt(String url) throws Exception {
    HttpResponse<byte[]> r = api.download(url, Map.of());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return AudioDecoder.decode(r.body(), 600).seconds();
  }

  private JsonNode await(String id) throws InterruptedException {
    long end = System.nanoTime() + TASK_LIMIT.toNanos();
    while (true) {
      Api.Reply r = api.get("/api/v1/task/" + id, server.key);
      assertThat(r.status()).as("GET /api/v1/task/%s: %s", id, r.body()).isEqualTo(200);
      if (ended(r.body())) return r.data();
      assertThat(System.nanoTime()).as("task %s ends within %s; now %s", id, TASK_LIMIT, r.body()).isLessThan(end);
      Thread.sleep(250);
    }
  }

  private static boolean ended(JsonNode answer) {
    String status = answer.path("data").path("status").asText();
    return status.equals("completed") || status.equals("failed");
  }

  /** The README's placeholders, filled in from what the server answered. */
  private String fill(String text) {
    if (text.contains("<task_id>")) {
      assertThat(tasks).as("a task for <task_id> in %s", text).isNotEmpty();
      text = text.replace("<task_id>", tasks.getLast().id);
    }
    if (text.contains("<audio_url>")) {
      assertThat(tasks).as("a task for <audio_url> in %s", text).isNotEmpty();
      Task t = tasks.getLast();
      assertThat(t.end).as("task %s has ended before its <audio_url> is fetched", t.id).isNotNull();
      text = text.replace("<audio_url>", t.end.path("output").path("audio_url").asText());
    }
    Matcher left = Pattern.compile("<[a-z_]+>").matcher(ReadmeWalk.scan(text).code());
    if (left.find()) fail("a placeholder this test does not know: " + left.group() + " in " + text);
    return text;
  }

  private Processes.Run bash(String command) throws Exception {
    return Processes.run(dir, env, COMMAND_LIMIT, List.of("bash", "-c", command));
  }

  private static JsonNode json(String command, String out) {
    try {
      JsonNode n = JSON.readTree(out);
      assertThat(n).as("the answer of %s is a JSON object: %s", command, out).isNotNull();
      assertThat(n.isObject()).as("the answer of %s is a JSON object: %s", command, out).isTrue();
      return n;
    } catch (Exception e) {
      throw new AssertionError("the answer of " + command + " is not JSON: " + out, e);
    }
  }

  /** What the walk-through made, by type: {@code txt2audio -> completed}. */
  Map<String, String> outcomes() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Task t : tasks) out.put(t.type, t.end == null ? "?" : t.end.path("status").asText());
    return out;
  }

  private void say(String line) {
    System.out.println("[shipped " + label + "] " + line);
  }

  private static String oneLine(String s) {
    String flat = s.replaceAll("\\s*\\n\\s*", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }
}
