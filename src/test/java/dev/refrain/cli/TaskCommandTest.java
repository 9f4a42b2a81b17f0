package dev.refrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.ReverseProxy;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `refrain task ...` as a real process against a real server. */
// Runs once, in the default execution: the CLI speaks HTTP, the same whatever store the server has.
@RunsOnce
class TaskCommandTest {
  private static final Pattern CREATED = Pattern.compile("created task ([0-9a-f-]{36})");
  private static TestServer server;
  private static String key;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    GateEngine.open(); // it starts closed
    server = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
    key = server.newKey();
    dir = Files.createTempDirectory("refrain-cli-task-");
  }

  @AfterAll
  static void stop() {
    GateEngine.open();
    server.close();
  }

  @AfterEach
  void openGate() {
    GateEngine.open();
  }

  private static Map<String, String> env(String url, String apiKey) {
    return Map.of("REFRAIN_URL", url, "REFRAIN_API_KEY", apiKey);
  }

  private static CliProcess.Split task(String... args) throws Exception {
    return taskAs(key, args);
  }

  private static CliProcess.Split taskAs(String apiKey, String... args) throws Exception {
    return CliProcess.launch(env(server.client.base, apiKey), dir, null, "task", args).await();
  }

  private static String createdId(CliProcess.Split r) {
    Matcher m = CREATED.matcher(r.err());
    assertThat(m.find()).as("stderr names the new task: %s", r.err()).isTrue();
    return m.group(1);
  }

  private static String createdViaApi(String apiKey) {
    return server.client.post("/api/v1/task", apiKey, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10))).data().path("task_id").asText();
  }

  /** After `REFRAIN_TLS_LOCAL=true refrain serve`, the CLI in the same place needs no URL and no trust store edits. */
  @Test
  void withTheLocalCaTheCliFindsTheServerOverHttpsByItsSettings() throws Exception {
    Path data = Files.createTempDirectory("refrain-cli-tls-");
    try (TestServer tls = TestServer.start(data, Map.of("REFRAIN_TLS_LOCAL", "true"))) {
      Map<String, String> env = Map.of("REFRAIN_API_KEY", tls.newKey(), "REFRAIN_DATA_DIR", data.toString(),
          "REFRAIN_PORT", Integer.toString(tls.server.port()), "REFRAIN_TLS_LOCAL", "true");
      Path song = dir.resolve("over-https.mp3");
      CliProcess.Split r = CliProcess.launch(env, dir, null, "task", "create", "--type", "txt2audio", "--style", "calm piano",
          "--duration", "10", "--download", song.toString()).await();
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("https://localhost:" + tls.server.port() + "/files/outputs/");
      assertThat(AudioDecoder.decode(Files.readAllBytes(song), 60).seconds()).isCloseTo(10, within(0.2));
    }
  }

  @Test
  void createWaitsAndDownloadsAPlayableFile() throws Exception {
    Path song = dir.resolve("song.mp3");
    CliProcess.Split r = task("create", "--type", "txt2audio", "--style", "calm piano", "--duration", "12", "--download", song.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String id = createdId(r);
    assertThat(r.err()).contains("saved " + song);
    assertThat(r.out()).contains(id).containsPattern("status +completed").contains("audio_url");
    AudioClip clip = AudioDecoder.decode(Files.readAllBytes(song), 60);
    assertThat(clip.seconds()).isCloseTo(12, within(0.2));

    CliProcess.Split again = task("download", id, "-o", song.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains(song + " already exists").contains("--force");
    Files.writeString(song, "not audio");
    assertThat(task("download", id, "-o", song.toString(), "--force").exit()).isZero();
    assertThat(AudioDecoder.decode(Files.readAllBytes(song), 60).seconds()).isCloseTo(12, within(0.2));

    CliProcess.Split named = task("download", id);
    assertThat(named.exit()).as(named.err()).isZero();
    String url = server.client.get("/api/v1/task/" + id, key).data().path("output").path("audio_url").asText();
    Path byName = dir.resolve(url.substring(url.lastIndexOf('/') + 1));
    assertThat(named.out()).contains("saved " + byName.getFileName());
    assertThat(byName).hasSameBinaryContentAs(song);
  }

  @Test
  void jsonIsTheTaskObjectTheServerGives() throws Exception {
    String lyrics = "[verse]\nla la la\n[chorus]\noh oh";
    CliProcess.Split created = CliProcess.launch(env(server.client.base, key), dir, lyrics, "task", "create", "--type", "txt2audio",
        "--style", "lofi, mellow", "--lyrics-file", "-", "--seed", "7", "--format", "wav", "--json").await();
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out().strip()).doesNotContain("\n");
    JsonNode task = Json.parse(created.out());
    String id = task.path("task_id").asText();
    assertThat(task.path("input").path("lyrics").asText()).isEqualTo(lyrics);
    assertThat(task.path("input").path("seed").asLong()).isEqualTo(7);
    assertThat(task.path("input").path("output_format").asText()).isEqualTo("wav");

    CliProcess.Split waited = task("wait", id, "--json");
    assertThat(waited.exit()).as(waited.err()).isZero();
    JsonNode done = Json.parse(waited.out());
    assertThat(done).isEqualTo(server.client.get("/api/v1/task/" + id, key).data());
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(Json.parse(task("get", id, "--json").out())).isEqualTo(done);

    CliProcess.Split human = task("get", id);
    assertThat(human.out()).contains(id).containsPattern("status +completed").contains("duration   60 s")
        .contains(done.path("output").path("audio_url").asText());
  }

  @Test
  void waitFollowsTheEventStreamWithAProgressBarOnStderr() throws Exception {
    try (TestServer slow = TestServer.start(Map.of("REFRAIN_ENGINE", "slow")); ReverseProxy proxy = ReverseProxy.start(slow.client.base)) {
      CliProcess.Split r = CliProcess.launch(env(proxy.url(), slow.newKey()), dir, null, "task", "create", "--type", "txt2audio",
          "--style", "calm piano", "--duration", "10", "--wait").await();
      assertThat(r.exit()).as(r.err()).isZero();
      String id = createdId(r);
      List<String> bar = r.err().lines().filter(l -> l.startsWith("[")).toList();
      assertThat(bar).as("one line per change, since stderr is no terminal").hasSizeGreaterThan(2).doesNotHaveDuplicates();
      assertThat(bar).anyMatch(l -> l.matches("\\[#*-*\\]  10%  warming up  \\d+:\\d\\d"));
      assertThat(bar.get(bar.size() - 1)).contains("100%  completed");
      assertThat(r.out()).containsPattern("status +completed");
      assertThat(proxy.requests()).contains("GET /api/v1/task/" + id + "/events").doesNotContain("GET /api/v1/task/" + id);
    }
  }

  @Test
  void waitPollsAServerWithoutAnEventStream() throws Exception {
    try (ReverseProxy proxy = ReverseProxy.start(server.client.base)) {
      proxy.hideEvents();
      GateEngine.close();
      String id = createdViaApi(key);
      CliProcess.Started wait = CliProcess.launch(env(proxy.url(), key), dir, null, "task", "wait", id);
      String get = "GET /api/v1/task/" + id;
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (proxy.requests().stream().filter(get::equals).count() < 2) {
        assertThat(System.nanoTime()).as("the CLI polls; it asked: %s", proxy.requests()).isLessThan(end);
        Thread.sleep(20);
      }
      GateEngine.open();
      CliProcess.Split r = wait.await();
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).contains(" 50%  waiting at the gate").contains("100%  completed");
      assertThat(proxy.requests()).startsWith(get + "/events");
    }
  }

  @Test
  void cancelEndsATaskFailedAndWaitSaysSo() throws Exception {
    GateEngine.close();
    String id = createdViaApi(key);
    CliProcess.Started wait = CliProcess.launch(env(server.client.base, key), dir, null, "task", "wait", id);
    CliProcess.Split cancel = task("cancel", id);
    assertThat(cancel.exit()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("task " + id + " canceled");

    CliProcess.Split waited = wait.await();
    assertThat(waited.exit()).isEqualTo(1);
    assertThat(waited.err()).contains("task " + id + " failed").contains("cancel");
    assertThat(waited.out()).containsPattern("status +failed");
    assertThat(Json.parse(task("get", id, "--json").out()).path("status").asText()).isEqualTo("failed");

    CliProcess.Split again = task("cancel", id);
    assertThat(again.exit()).isEqualTo(4);
    assertThat(again.err()).contains("HTTP 400");
  }

  @Test
  void listPagesThroughTheKeysTasksNewestFirst() throws Exception {
    String mine = server.newKey();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(createdViaApi(mine));
      server.client.await(ids.get(i), mine, Duration.ofSeconds(30));
      Thread.sleep(5); // distinct creation times, so "newest first" is one order
    }
    GateEngine.close();
    String cancelled = createdViaApi(mine);
    server.client.delete("/api/v1/task/" + cancelled, mine);

    JsonNode first = Json.parse(taskAs(mine, "list", "--page-size", "3", "--json").out());
    assertThat(first.path("total").asInt()).isEqualTo(4);
    assertThat(first.path("tasks")).extracting(t -> t.path("task_id").asText()).containsExactly(cancelled, ids.get(2), ids.get(1));
    JsonNode second = Json.parse(taskAs(mine, "list", "--page", "2", "--page-size", "3", "--json").out());
    assertThat(second.path("tasks")).extracting(t -> t.path("task_id").asText()).containsExactly(ids.get(0));

    JsonNode failed = Json.parse(taskAs(mine, "list", "--status", "failed", "--json").out());
    assertThat(failed.path("tasks")).extracting(t -> t.path("task_id").asText()).containsExactly(cancelled);

    CliProcess.Split table = taskAs(mine, "list", "--page-size", "2");
    assertThat(table.exit()).isZero();
    assertThat(table.out()).contains("TASK ID").contains(cancelled).contains(ids.get(2)).doesNotContain(ids.get(0))
        .contains("page 1 of 2, 4 tasks in all");

    CliProcess.Split tooBig = taskAs(mine, "list", "--page-size", "500");
    assertThat(tooBig.exit()).isEqualTo(2);
    assertThat(tooBig.err()).contains("--page-size");
  }

  @Test
  void extendUploadsALocalFileFirst() throws Exception {
    Path take = dir.resolve("take.wav");
    Files.write(take, TestAudio.encoded("wav", TestAudio.tone(3, 44100, 1, 440)));
    CliProcess.Split r = task("create", "--type", "extend", "--audio", take.toString(), "--right", "5", "--style", "piano", "--wait", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode task = Json.parse(r.out());
    assertThat(task.path("status").asText()).isEqualTo("completed");
    String input = task.path("input").path("audio").asText();
    assertThat(input).contains("/files/uploads/").endsWith("take.wav");
    assertThat(server.client.download(input, Map.of()).body()).isEqualTo(Files.readAllBytes(take));
  }

  @Test
  void badFlagsAreUsageErrorsThatNameTheFlag() throws Exception {
    String fresh = server.newKey();
    Map<List<String>, String> cases = Map.of(
        List.of("create", "--type", "txt2audio", "--style", "x", "--bogus"), "--bogus",
        List.of("create", "--type", "txt2audio", "--style", "x", "--duration", "long"), "--duration",
        List.of("create", "--type", "txt2audio", "--style", "x", "--format", "ogg"), "--format",
        List.of("create", "--style", "x"), "--type",
        List.of("create", "--type", "edit", "--audio", "https://example.com/a.mp3", "--style", "x"), "--edit-style is required",
        List.of("create", "--type", "txt2audio", "--style", "x", "--left", "3"), "--left does not apply to --type txt2audio",
        List.of("create", "--type", "extend", "--audio", "no-such.wav", "--style", "x", "--right", "3"), "--audio: no such file",
        List.of("wait", "some-id", "--timeout", "-1"), "--timeout",
        List.of("list", "--status", "done"), "--status");
    for (var c : cases.entrySet()) {
      CliProcess.Split r = taskAs(fresh, c.getKey().toArray(String[]::new));
      assertThat(r.exit()).as("%s: %s", c.getKey(), r.err()).isEqualTo(2);
      assertThat(r.err()).as("%s", c.getKey()).contains(c.getValue()).doesNotContain("Exception");
      assertThat(r.out()).isEmpty();
    }
    assertThat(server.client.get("/api/open/tasks/histories", fresh).data().path("total").asInt()).as("nothing was created").isZero();

    CliProcess.Split noKey = CliProcess.launch(Map.of("REFRAIN_URL", server.client.base), dir, null, "task", "get", "x").await();
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("REFRAIN_API_KEY");
  }

  @Test
  void serverRefusalsAreExit4WithTheServersMessageAndNeverTheKey() throws Exception {
    String id = createdViaApi(key);
    String wrong = "rk_this_is_not_a_key_at_all_0123456789";
    CliProcess.Split r = taskAs(wrong, "get", id);
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.err()).contains("HTTP 401").contains("invalid API key").doesNotContain(wrong);
    assertThat(taskAs(wrong, "wait", id).err()).contains("invalid API key");

    CliProcess.Split unknown = task("get", "00000000-0000-4000-8000-000000000000");
    assertThat(unknown.exit()).isEqualTo(4);
    assertThat(unknown.err()).contains("HTTP 404").contains("not found");

    CliProcess.Split tooLong = task("create", "--type", "txt2audio", "--style", "x", "--duration", "9999");
    assertThat(tooLong.exit()).isEqualTo(4);
    assertThat(tooLong.err()).contains("input.duration");

    CliProcess.Split down = CliProcess.launch(env("http://127.0.0.1:1", key), dir, null, "task", "get", id).await();
    assertThat(down.exit()).isEqualTo(4);
    assertThat(down.err()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void waitGivesUpAfterItsTimeout() throws Exception {
    GateEngine.close();
    String id = createdViaApi(key);
    CliProcess.Split r = task("wait", id, "--timeout", "1");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("task " + id + " is still").contains("after 1 s");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void helpDescribesEveryCommand() throws Exception {
    CliProcess.Split help = task("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("create", "get", "wait", "cancel", "list", "download", "REFRAIN_API_KEY");
    CliProcess.Split create = task("create", "--help");
    assertThat(create.exit()).isZero();
    assertThat(create.out()).contains("--type", "--lyrics-file", "--style-audio", "--webhook-secret", "--idempotency-key", "--download");
    CliProcess.Split none = task();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("a command is required");
  }
}
