package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.TaskRow;
import dev.refrain.task.TaskService;
import dev.refrain.task.TaskView;
import dev.refrain.task.TaskWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** The task API in process, as one key: what `/api/v1/task` does for that key, without the HTTP. */
final class LocalTaskApi implements TaskApi {
  private final TaskService tasks;
  private final Consumer<String> cancelRunning;
  private final KeyRecord key;
  private final String base;

  /** @param base the base URL the MCP request came by: the tasks' URLs go under it */
  LocalTaskApi(TaskService tasks, Consumer<String> cancelRunning, KeyRecord key, String base) {
    this.tasks = tasks;
    this.cancelRunning = cancelRunning;
    this.key = key;
    this.base = base;
  }

  @Override
  public JsonNode create(ObjectNode body) {
    return view(tasks.create(key, Json.bytes(body), null, base));
  }

  @Override
  public Optional<JsonNode> get(String taskId) {
    return tasks.get(key, taskId).map(this::view);
  }

  @Override
  public void cancel(String taskId) {
    try {
      if (tasks.cancel(key, taskId).isPresent()) cancelRunning.accept(taskId);
    } catch (ApiError alreadyEnded) {
      // nothing left to cancel
    }
  }

  /** Woken by the task's own changes on any node, so progress reaches the client as it is made. */
  @Override
  public Follow follow(String taskId) {
    TaskWatch.Watcher w = tasks.watch(taskId);
    return new Follow() {
      @Override
      public void pause(Duration max) throws InterruptedException {
        w.await(max.toMillis());
      }

      @Override
      public void close() {
        w.close();
      }
    };
  }

  /** The wire view as a plain tree (TaskView carries stored JSON as raw values, which can't be read back). */
  private JsonNode view(TaskRow t) {
    return Json.parseOrNull(Json.bytes(TaskView.of(t, base)));
  }
}
