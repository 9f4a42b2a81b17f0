package dev.refrain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following a task by reading it, wherever the reads come from. */
class TaskWaiterTest {
  private static JsonNode task(String status, double progress) {
    ObjectNode t = Json.object().put("task_id", "t1").put("status", status);
    t.putObject("meta").put("progress", progress).put("stage", "render");
    return t;
  }

  /** Reads in order, the last again and again; pauses are counted, not slept. */
  private static final class Script implements TaskWaiter.Reads {
    final Deque<JsonNode> tasks;
    final List<Duration> pauses = new ArrayList<>();

    Script(JsonNode... tasks) {
      this.tasks = new ArrayDeque<>(List.of(tasks));
    }

    @Override
    public JsonNode read() {
      return tasks.size() > 1 ? tasks.poll() : tasks.peek();
    }

    @Override
    public void pause(Duration max) {
      pauses.add(max);
    }
  }

  @Test
  void readsUntilTheTaskEndsTellingEachRead() throws Exception {
    Script reads = new Script(task("pending", 0), task("processing", 0.5), task("completed", 1));
    List<Progress> heard = new ArrayList<>();

    JsonNode end = TaskWaiter.poll(reads, Duration.ofSeconds(1), null, heard::add);

    assertThat(end.path("status").asText()).isEqualTo("completed");
    assertThat(heard).extracting(Progress::status).containsExactly("pending", "processing", "completed");
    assertThat(heard.get(1)).isEqualTo(new Progress("processing", 0.5, "render"));
    assertThat(reads.pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void aStatusInCapitalsEndsTheWaitToo() throws Exception {
    JsonNode end = TaskWaiter.poll(new Script(task("Failed", 0)), Duration.ofSeconds(1), null, p -> {});
    assertThat(end.path("status").asText()).isEqualTo("Failed");
  }

  @Test
  void pastTheTimeoutItSaysHowTheTaskStood() {
    TaskWaiter.Reads slow = new TaskWaiter.Reads() {
      @Override
      public JsonNode read() {
        return task("processing", 0.3);
      }
    };
    assertThatThrownBy(() -> TaskWaiter.poll(slow, Duration.ofMillis(20), Duration.ofMillis(100), p -> {}))
        .isInstanceOfSatisfying(TaskWaiter.TimedOut.class, e -> assertThat(e.last()).isEqualTo(new Progress("processing", 0.3, "render")));
  }
}
