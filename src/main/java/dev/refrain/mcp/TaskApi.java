package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * What the MCP tools need of the task API, as one caller: in process ({@link LocalTaskApi}) or over
 * HTTP ({@link HttpTaskApi}). Tasks are the task objects of ../shared/spec/api.md; refusals are thrown as
 * {@link dev.refrain.core.ApiError} with the API's status and message.
 */
interface TaskApi {
  /** Creates a task from a create body (`model`, `task_type`, `input`); returns the new task. */
  JsonNode create(ObjectNode body);

  /** The caller's task; empty when unknown (or another key's). */
  Optional<JsonNode> get(String taskId);

  /** Cancels the task if it has not ended; a task that has ended is left as it is. */
  void cancel(String taskId);

  /** Follows one task between reads of it; over HTTP there is nothing to follow, so a pause is a sleep. */
  default Follow follow(String taskId) {
    return Thread::sleep;
  }

  /** A pause between reads of one task, which its changes may end early. */
  interface Follow extends AutoCloseable {
    void pause(Duration max) throws InterruptedException;

    @Override
    default void close() {}
  }
}
