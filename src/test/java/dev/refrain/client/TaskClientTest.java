package dev.refrain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The task API client and its waiter against a real server on loopback. */
// Runs once, in the default execution: the client speaks HTTP, the same whatever store the server has.
@RunsOnce
class TaskClientTest {
  private static TestServer server;
  private static TaskClient client;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    GateEngine.open(); // it starts closed
    server = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
    client = new TaskClient(server.client.base + "/", server.newKey(), "refrain-test");
    dir = Files.createTempDirectory("refrain-client-");
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

  private static ObjectNode txt2audio(double seconds) {
    ObjectNode body = Json.object().put("model", TaskType.MODEL).put("task_type", TaskType.TXT2AUDIO.wire());
    body.putObject("input").put("style_prompt", "calm piano").put("duration", seconds);
    return body;
  }

  @Test
  void aTaskIsCreatedFollowedToItsEndAndItsAudioFetched() throws Exception {
    GateEngine.close();
    JsonNode task = client.create(txt2audio(10), null);
    String id = task.path("task_id").asText();
    List<Progress> heard = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      while (heard.stream().noneMatch(p -> p.stage().equals(GateEngine.STAGE))) Thread.onSpinWait();
      GateEngine.open();
    });

    JsonNode done = TaskWaiter.follow(client, id, Duration.ofSeconds(60), heard::add);

    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(heard).as("the stream told the stage, then the end").anyMatch(p -> p.stage().equals(GateEngine.STAGE));
    assertThat(heard.getLast().finished()).isTrue();
    String url = done.path("output").path("audio_url").asText();
    Path file = dir.resolve("song.mp3");
    long bytes = client.download(url, file);
    assertThat(Files.size(file)).isEqualTo(bytes).isPositive();
    assertThat(client.fetch(url, bytes)).isEqualTo(Files.readAllBytes(file));
    assertThatThrownBy(() -> client.fetch(url, bytes - 1)).hasMessageContaining("is larger than " + (bytes - 1) + " bytes");
  }

  @Test
  void theSameIdempotencyKeyCreatesOneTask() {
    String first = client.create(txt2audio(10), "same-key").path("task_id").asText();
    String again = client.create(txt2audio(10), "same-key").path("task_id").asText();
    assertThat(again).isEqualTo(first);
    assertThat(client.get(first).path("task_id").asText()).isEqualTo(first);
  }

  @Test
  void aWaitThatRunsOutSaysHowTheTaskStood() {
    GateEngine.close();
    String id = client.create(txt2audio(10), null).path("task_id").asText();
    assertThatThrownBy(() -> TaskWaiter.follow(client, id, Duration.ofMillis(700), p -> {}))
        .isInstanceOfSatisfying(TaskWaiter.TimedOut.class, e -> assertThat(e.last().status()).isIn("pending", "processing"));
    assertThat(client.cancel(id)).isNotBlank();
    assertThat(client.get(id).path("status").asText()).isEqualTo("failed");
  }

  @Test
  void aLocalFileIsUploadedAndServed() throws Exception {
    Path take = dir.resolve("take.wav");
    Files.write(take, TestAudio.encoded("wav", TestAudio.tone(1, 44100, 1, 440)));
    String url = client.upload(take.getFileName().toString(), Files.readAllBytes(take));
    assertThat(url).contains("/files/uploads/").endsWith("take.wav");
    assertThat(client.fetch(url, Long.MAX_VALUE)).isNotEmpty();
  }

  @Test
  void theListingHasTheKeysTasks() {
    String id = client.create(txt2audio(10), null).path("task_id").asText();
    JsonNode page = client.history(1, 50);
    assertThat(page.path("tasks").findValuesAsText("task_id")).contains(id);
  }

  @Test
  void aRefusalCarriesTheStatusAndTheServersMessage() {
    assertThatThrownBy(() -> client.get("no-such-task"))
        .isInstanceOfSatisfying(TaskApiException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).startsWith("HTTP 404: ").contains("not found");
          assertThat(Json.parseOrNull(e.body()).path("code").asInt()).isEqualTo(404);
        });
    TaskClient wrongKey = new TaskClient(server.client.base, "not-a-key", null);
    assertThatThrownBy(() -> wrongKey.create(txt2audio(10), null))
        .isInstanceOfSatisfying(TaskApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void noServerIsAFailureWithoutAStatus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TaskClient nobody = new TaskClient("http://127.0.0.1:" + port, "key", null);
    assertThatThrownBy(() -> nobody.get("x"))
        .isInstanceOfSatisfying(TaskApiException.class, e -> {
          assertThat(e.status()).isZero();
          assertThat(e.getMessage()).isEqualTo("cannot reach http://127.0.0.1:" + port + ": connection refused");
        });
    assertThatThrownBy(() -> client.download("ftp://example.com/a.mp3", dir.resolve("a.mp3")))
        .hasMessage("the task's audio_url is not an http(s) URL: 'ftp://example.com/a.mp3'");
  }

  @Test
  void anAnswerWithoutEndIsRefusedOnceItPassesTheBound() throws Exception {
    // A hostile (or broken) server sends a task that never ends: the client stops reading at 16 MiB.
    HttpServer endless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endless.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      try (OutputStream out = exchange.getResponseBody()) {
        out.write('{');
        while (true) out.write(chunk);
      } catch (IOException closedByTheClient) {
        // expected: the client hung up
      }
    });
    endless.start();
    try {
      TaskClient c = new TaskClient("http://127.0.0.1:" + endless.getAddress().getPort(), "key", null);
      assertThatThrownBy(() -> c.get("x")).isInstanceOf(TaskApiException.class).hasMessageContaining("is larger than 16777216 bytes");
    } finally {
      endless.stop(0);
    }
  }
}
