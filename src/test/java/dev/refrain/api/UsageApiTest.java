package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Balance and usage per day (GET /account/usage), and the history's status and type filters. */
class UsageApiTest {
  private static TestServer ts;

  @BeforeAll
  static void start() throws Exception {
    GateEngine.open();
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String txt2audio(String key, int seconds) {
    Reply r = ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "piano", "duration", seconds)));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  @Test
  void everyDayOfTheWindowHasItsSpendingTasksAndClosingBalance() {
    String key = ts.newKey(10_000_000L, null).secret(); // $1
    String other = ts.newKey();
    ts.client.await(txt2audio(key, 10), key, Duration.ofSeconds(30));
    ts.client.await(txt2audio(key, 20), key, Duration.ofSeconds(30));
    ts.client.await(txt2audio(other, 30), other, Duration.ofSeconds(30));

    Reply r = ts.client.get("/account/usage?days=7", key);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    List<JsonNode> points = StreamSupport.stream(r.data().path("points").spliterator(), false).toList();
    assertThat(points).hasSize(7);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(points).extracting(p -> p.path("date").asText())
        .containsExactly(today.minusDays(6).toString(), today.minusDays(5).toString(), today.minusDays(4).toString(),
            today.minusDays(3).toString(), today.minusDays(2).toString(), today.minusDays(1).toString(), today.toString());
    JsonNode last = points.get(6);
    // 30 generated seconds at 5,000 units each; the other key's task is not this key's usage.
    assertThat(last.path("consumed").asLong()).isEqualTo(150_000);
    assertThat(last.path("tasks").asLong()).isEqualTo(2);
    assertThat(last.path("balance").asLong()).isEqualTo(10_000_000 - 150_000);
    assertThat(r.data().path("balance").asLong()).isEqualTo(10_000_000 - 150_000);
    // Before the key existed (and its first credit) the balance was nothing.
    assertThat(points.get(5).path("balance").asLong()).isZero();
    assertThat(points.get(5).path("consumed").asLong()).isZero();
  }

  @Test
  void anUnlimitedKeyHasUsageButNoBalance() {
    String key = ts.newKey();
    ts.client.await(txt2audio(key, 10), key, Duration.ofSeconds(30));
    Reply r = ts.client.get("/account/usage", key);
    assertThat(r.data().path("days").asInt()).isEqualTo(30);
    assertThat(r.data().path("balance").isNull()).isTrue();
    JsonNode today = r.data().path("points").get(29);
    assertThat(today.path("consumed").asLong()).isEqualTo(50_000);
    assertThat(today.path("balance").isNull()).isTrue();
  }

  @Test
  void daysMustBeInRange() {
    String key = ts.newKey();
    for (String days : List.of("0", "367", "week")) {
      Reply r = ts.client.get("/account/usage?days=" + days, key);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.message()).isEqualTo("days must be a whole number from 1 to 366");
    }
    assertThat(ts.client.get("/account/usage", null).status()).isEqualTo(401);
  }

  @Test
  void historyFiltersByStatusAndTaskType() {
    String key = ts.newKey();
    ts.client.await(txt2audio(key, 10), key, Duration.ofSeconds(30));
    ts.client.await(txt2audio(key, 10), key, Duration.ofSeconds(30));
    GateEngine.close();
    try {
      String cancelled = txt2audio(key, 10);
      ts.client.delete("/api/v1/task/" + cancelled, key);
      ts.client.await(cancelled, key, Duration.ofSeconds(30));
    } finally {
      GateEngine.open();
    }
    assertThat(total(key, "")).isEqualTo(3);
    assertThat(total(key, "&status=completed")).isEqualTo(2);
    assertThat(total(key, "&status=failed")).isEqualTo(1);
    assertThat(total(key, "&task_type=txt2audio&status=completed")).isEqualTo(2);
    assertThat(total(key, "&task_type=extend")).isZero();
    Reply page = ts.client.get("/api/open/tasks/histories?page=1&page_size=10&status=failed", key);
    assertThat(page.data().path("tasks").get(0).path("status").asText()).isEqualTo("failed");

    Reply bad = ts.client.get("/api/open/tasks/histories?status=done", key);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).isEqualTo("status must be one of: pending, processing, completed, failed");
    bad = ts.client.get("/api/open/tasks/histories?task_type=txt2img", key);
    assertThat(bad.message()).isEqualTo("task_type must be one of: txt2audio, audio2audio, edit, extend");
  }

  private static long total(String key, String query) {
    Reply r = ts.client.get("/api/open/tasks/histories?page=1&page_size=10" + query, key);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("total").asLong();
  }
}
