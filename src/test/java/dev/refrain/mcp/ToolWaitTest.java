package dev.refrain.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a generation tool follows its task: steps forward only, and a brief outage does not end the wait. */
class ToolWaitTest {
  private static ObjectNode task(String status, double progress, String stage) {
    ObjectNode t = Json.object().put("task_id", "t1").put("status", status);
    t.putObject("meta").put("progress", progress).put("stage", stage);
    return t;
  }

  /** Answers GET with what it is given, in order; a pause returns at once. */
  private static final class Scripted implements TaskApi {
    final Deque<Object> answers = new ArrayDeque<>();
    int reads;

    @Override
    public JsonNode create(ObjectNode body) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<JsonNode> get(String taskId) {
      reads++;
      Object next = answers.poll();
      if (next instanceof ApiError e) throw e;
      return Optional.of((JsonNode) next);
    }

    @Override
    public void cancel(String taskId) {}

    @Override
    public Follow follow(String taskId) {
      return max -> {};
    }
  }

  @Test
  void stepsOnlyGoForwardAndTellTheStageWhileProcessing() throws Exception {
    Scripted api = new Scripted();
    api.answers.addAll(List.of(task("processing", 0.5, "render"), task("processing", 0.4, "render"),
        task("processing", 0.5, "render"), task("Completed", 1, "")));
    List<ToolWait.Step> steps = new ArrayList<>();

    JsonNode end = ToolWait.await(api, task("pending", 0, ""), steps::add);

    assertThat(ToolWait.status(end)).isEqualTo("completed");
    assertThat(steps).containsExactly(new ToolWait.Step(0, "pending"), new ToolWait.Step(0.5, "render"), new ToolWait.Step(1, "completed"));
    assertThat(api.reads).as("the created task is the first read").isEqualTo(4);
  }

  @Test
  void aServerBrieflyOutOfReachDoesNotEndTheWait() throws Exception {
    Scripted api = new Scripted();
    for (int i = 0; i < 10; i++) api.answers.add(new ApiError(502, "cannot reach the task API"));
    api.answers.add(task("completed", 1, ""));
    assertThat(ToolWait.status(ToolWait.await(api, task("pending", 0, ""), s -> {}))).isEqualTo("completed");

    Scripted gone = new Scripted();
    for (int i = 0; i < 11; i++) gone.answers.add(new ApiError(502, "cannot reach the task API"));
    assertThatThrownBy(() -> ToolWait.await(gone, task("pending", 0, ""), s -> {})).hasMessage("cannot reach the task API");

    Scripted refusing = new Scripted();
    refusing.answers.add(new ApiError(401, "invalid API key"));
    assertThatThrownBy(() -> ToolWait.await(refusing, task("pending", 0, ""), s -> {})).hasMessage("invalid API key");
  }
}
