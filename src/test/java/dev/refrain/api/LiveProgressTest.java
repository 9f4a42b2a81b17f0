package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import dev.refrain.testing.Api;
import ch.qos.logback.classic.Level;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.LogCapture;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live progress: the task's event stream, and `Prefer: wait` on create and get. */
class LiveProgressTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestServer server;
  private static String key;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_MAX_WAIT", "3s"));
    key = server.newKey();
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

  private static String create(Api api) {
    return create(api, key);
  }

  private static String create(Api api, String key) {
    return api.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10))).data().path("task_id").asText();
  }

  @Test
  void streamFollowsARunningTaskFromStatusAndProgressToTheFinalTask() throws Exception {
    GateEngine.close();
    String id = create(server.client);
    Stream events = Stream.open(id, key, null);
    assertThat(events.status()).isEqualTo(200);
    assertThat(events.contentType()).startsWith("text/event-stream");

    Event first = events.next();
    assertThat(first.name()).isEqualTo("status");
    assertThat(first.json().path("task_id").asText()).isEqualTo(id);
    assertThat(first.json().path("status").asText()).isIn("pending", "processing");

    Event atGate = events.until(e -> e.name().equals("progress") && e.json().path("stage").asText().equals(GateEngine.STAGE));
    assertThat(atGate.json().path("progress").asDouble()).isEqualTo(0.5);
    GateEngine.open();

    Event last = events.until(e -> e.name().equals("task"));
    assertThat(events.next()).as("the stream ends after the final task").isNull();
    JsonNode task = last.json();
    assertThat(task.path("status").asText()).isEqualTo("completed");
    assertThat(task.path("output").path("audio_url").asText()).startsWith("http");
    assertThat(task).as("the task object GET answers").isEqualTo(server.client.get("/api/v1/task/" + id, key).data());
    assertThat(events.seen().stream().filter(e -> e.name().equals("status")).map(e -> e.json().path("status").asText()))
        .endsWith("completed");
    List<Event> logs = events.seen().stream().filter(e -> e.name().equals("log")).toList();
    List<String> lines = new ArrayList<>();
    task.path("logs").forEach(l -> lines.add(l.asText()));
    assertThat(logs).extracting(e -> e.json().path("line").asText()).containsExactlyElementsOf(lines);
    for (int i = 0; i < logs.size(); i++) {
      assertThat(logs.get(i).json().path("index").asInt()).isEqualTo(i);
      assertThat(logs.get(i).id()).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void anotherNodeStreamsATaskThisNodeRuns() throws Exception {
    assumeTrue(TestDatabases.postgresql(), "nodes share a store only on PostgreSQL");
    // The other node's engine is preview, so the gate task created here runs only here.
    try (TestServer other = TestServer.start(Map.of("REFRAIN_DATABASE_URL", TestDatabases.url(server.dataDir)))) {
      GateEngine.close();
      String id = create(server.client);
      Stream events = Stream.open(other.client, id, key, null);
      events.until(e -> e.name().equals("progress") && e.json().path("stage").asText().equals(GateEngine.STAGE));
      GateEngine.open();
      assertThat(events.until(e -> e.name().equals("task")).json().path("status").asText()).isEqualTo("completed");
    }
  }

  @Test
  void aStreamWhoseStoreGoesAwayEndsWithAWarningNotAnError() throws Exception {
    try (TestServer own = TestServer.start(Map.of("REFRAIN_ENGINE", "gate")); LogCapture logs = LogCapture.start()) {
      String ownKey = own.newKey();
      GateEngine.close();
      String id = create(own.client, ownKey);
      Stream events = Stream.open(own.client, id, ownKey, null);
      events.until(e -> e.name().equals("progress") && e.json().path("stage").asText().equals(GateEngine.STAGE));
      own.server.database().close();
      events.rest(); // fails unless the stream ends within 20 s
      assertThat(logs.atLeast(Level.ERROR)).noneMatch(l -> l.contains("/events"));
      assertThat(logs.atLeast(Level.WARN)).anyMatch(l -> l.contains("events of task " + id) && l.contains("store"));
    } finally {
      GateEngine.open();
    }
  }

  @Test
  void aFinishedTaskStreamsItsStateAndEnds() throws Exception {
    String id = create(server.client);
    JsonNode done = server.client.await(id, key, Duration.ofSeconds(30));
    Stream events = Stream.open(id, key, null);
    List<Event> all = events.rest();
    assertThat(all).extracting(Event::name).startsWith("status", "progress").endsWith("task");
    assertThat(all.get(0).json().path("status").asText()).isEqualTo("completed");
    assertThat(all.get(1).json().path("progress").asDouble()).isEqualTo(1.0);
    assertThat(all.get(all.size() - 1).json()).isEqualTo(done);
    assertThat(all).filteredOn(e -> e.name().equals("log")).hasSize(done.path("logs").size());
  }

  @Test
  void lastEventIdSkipsTheLogLinesAClientAlreadyHas() throws Exception {
    String id = create(server.client);
    JsonNode done = server.client.await(id, key, Duration.ofSeconds(30));
    int lines = done.path("logs").size();
    assertThat(lines).isGreaterThan(1);
    List<Event> logs = Stream.open(id, key, "0").rest().stream().filter(e -> e.name().equals("log")).toList();
    assertThat(logs).hasSize(lines - 1);
    assertThat(logs.get(0).json().path("index").asInt()).isEqualTo(1);
  }

  @Test
  void cancellingEndsTheStreamWithTheFailedTask() throws Exception {
    GateEngine.close();
    String id = create(server.client);
    Stream events = Stream.open(id, key, null);
    events.until(e -> e.name().equals("progress") && e.json().path("progress").asDouble() == 0.5);
    assertThat(server.client.delete("/api/v1/task/" + id, key).status()).isEqualTo(200);
    JsonNode task = events.until(e -> e.name().equals("task")).json();
    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("error").path("message").asText()).contains("canceled");
    assertThat(events.next()).isNull();
  }

  @Test
  void unknownOrForeignTasksAndMissingKeysGetJsonErrors() throws Exception {
    String id = create(server.client);
    Stream unknown = Stream.open("00000000-0000-4000-8000-000000000000", key, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(Json.parse(unknown.body()).path("message").asText()).contains("not found");
    assertThat(Stream.open(id, server.newKey(), null).status()).isEqualTo(404);
    Stream anonymous = Stream.open(id, null, null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(Json.parse(anonymous.body()).path("code").asInt()).isEqualTo(401);
  }

  @Test
  void preferWaitOnCreateAnswersOnceTheTaskIsDone() {
    GateEngine.close();
    Thread.ofVirtual().start(() -> {
      sleep(300);
      GateEngine.open();
    });
    Api.Reply r = server.client.send("POST", "/api/v1/task", key, Json.write(Map.of("model", "Qubico/ace-step",
        "task_type", "txt2audio", "input", Map.of("style_prompt", "calm piano", "duration", 10))), Map.of("Prefer", "wait=3"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Preference-Applied")).hasValue("wait=3");
    assertThat(r.data().path("status").asText()).isEqualTo("completed");
    assertThat(r.data().path("output").path("audio_url").asText()).isNotEmpty();
    assertThat(r.body().path("timestamp").asLong()).isPositive();
  }

  @Test
  void preferWaitOnGetGivesUpAfterTheCappedWaitWithTheTaskAsItStands() {
    GateEngine.close();
    String id = create(server.client);
    long t0 = System.nanoTime();
    Api.Reply r = server.client.send("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "respond-async, wait=600"));
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(r.raw().headers().firstValue("Preference-Applied")).as("capped by REFRAIN_MAX_WAIT").hasValue("wait=3");
    assertThat(r.data().path("status").asText()).isIn("pending", "processing");
    assertThat(waited).isGreaterThanOrEqualTo(2_900);

    GateEngine.open();
    Api.Reply done = server.client.send("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "wait=3"));
    assertThat(done.data().path("status").asText()).isEqualTo("completed");
  }

  @Test
  void aMalformedPreferenceIsIgnored() {
    String id = create(server.client);
    Api.Reply r = server.client.send("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "wait=soon"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Preference-Applied")).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  record Event(String name, String data, String id) {
    JsonNode json() {
      return Json.parse(data);
    }
  }

  /** A client of the event stream: events are parsed by a reader thread as they arrive. */
  static final class Stream {
    private static final Event END = new Event("", "", null);
    private final HttpResponse<java.io.InputStream> response;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private boolean ended;

    private Stream(HttpResponse<java.io.InputStream> response) {
      this.response = response;
    }

    static Stream open(String id, String key, String lastEventId) throws IOException, InterruptedException {
      return open(server.client, id, key, lastEventId);
    }

    static Stream open(Api api, String id, String key, String lastEventId) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base + "/api/v1/task/" + id + "/events"));
      if (key != null) b.header("x-api-key", key);
      if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
      Stream s = new Stream(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
      if (s.status() == 200) Thread.ofVirtual().start(s::read);
      return s;
    }

    int status() {
      return response.statusCode();
    }

    String contentType() {
      return response.headers().firstValue("Content-Type").orElse("");
    }

    String body() throws IOException {
      return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isEmpty()) {
            if (!data.isEmpty()) queue.add(new Event(name, data.toString(), id));
            name = "message";
            id = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            if (!data.isEmpty()) data.append('\n');
            data.append(line.substring(5).trim());
          } else if (line.startsWith("id:")) {
            id = line.substring(3).trim();
          }
        }
      } catch (IOException ignored) {
        // the stream was closed under us: the end
      }
      queue.add(END);
    }

    /** The next event, or null once the stream has ended; fails the test after 20 s of silence. */
    Event next() throws InterruptedException {
      if (ended) return null;
      Event e = queue.poll(20, TimeUnit.SECONDS);
      assertThat(e).as("an event within 20 s").isNotNull();
      if (e == END) {
        ended = true;
        return null;
      }
      seen.add(e);
      return e;
    }

    Event until(java.util.function.Predicate<Event> wanted) throws InterruptedException {
      for (Event e; (e = next()) != null; ) {
        if (wanted.test(e)) return e;
      }
      throw new AssertionError("the stream ended before the event wanted; saw " + seen);
    }

    List<Event> rest() throws InterruptedException {
      while (next() != null) {
        // collecting into seen
      }
      return seen;
    }

    List<Event> seen() {
      return seen;
    }
  }
}
