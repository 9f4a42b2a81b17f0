package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The tools at work, on either transport: a generation tool creates its task, follows it to the end
 * with progress notifications, and answers with the audio's URL; a failed task is an error result
 * with the task's error message. Each call runs on a virtual thread of its own, so a long wait holds
 * no transport or Reactor thread.
 */
final class AceStepTools implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AceStepTools.class);

  /** Who a tool call acts for: the task API as that caller, and the scope its cancellations are keyed in. */
  record Caller(TaskApi tasks, String scope) {}

  private final Function<McpAsyncServerExchange, Caller> callers;
  private final Cancellations cancellations;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Scheduler scheduler = Schedulers.fromExecutorService(threads, "mcp-tools");

  AceStepTools(Function<McpAsyncServerExchange, Caller> callers, Cancellations cancellations) {
    this.callers = callers;
    this.cancellations = cancellations;
  }

  /** The MCP server of these tools, on the transport the specification was made for. */
  McpAsyncServer serve(McpServer.AsyncSpecification<?> spec) {
    List<AsyncToolSpecification> tools = new ArrayList<>();
    for (TaskType type : TaskType.values()) {
      tools.add(new AsyncToolSpecification(ToolCatalog.generate(type), (ex, req) -> run(() -> generate(ex, req, type))));
    }
    tools.add(new AsyncToolSpecification(ToolCatalog.getTask(), (ex, req) -> run(() -> getTask(ex, req))));
    return spec
        .serverInfo("refrain", Optional.ofNullable(AceStepTools.class.getPackage().getImplementationVersion()).orElse("dev"))
        .instructions("Music generation with ACE-Step through a PiAPI-compatible task API. Each generation tool makes one"
            + " piece of audio and returns its audio_url; inputs that are audio take a URL, base64 or a data URI.")
        .capabilities(ServerCapabilities.builder().tools(false).build())
        // The task API checks every input, with the messages it gives on every other road in.
        .validateToolInputs(false)
        .tools(tools)
        .build();
  }

  private Mono<CallToolResult> run(Callable<CallToolResult> call) {
    return Mono.fromCallable(() -> {
      try {
        return call.call();
      } catch (ApiError e) {
        return error(e.getMessage());
      } catch (InterruptedException e) {
        return error("the server is shutting down; the task goes on: follow it with " + ToolCatalog.GET_TASK);
      } catch (RuntimeException e) {
        log.error("MCP tool call failed", e);
        return error("internal error");
      }
    }).subscribeOn(scheduler);
  }

  private CallToolResult generate(McpAsyncServerExchange ex, CallToolRequest req, TaskType type) throws InterruptedException {
    Caller caller = callers.apply(ex);
    ObjectNode body = Json.object();
    body.put("model", TaskType.MODEL);
    body.put("task_type", type.wire());
    body.set("input", Json.MAPPER.valueToTree(req.arguments() == null ? Map.of() : req.arguments()));
    try (Cancellations.Call call = cancellations.open(caller.scope(), req)) {
      JsonNode task = caller.tasks().create(body);
      String id = task.path("task_id").asText();
      call.onCancel(() -> caller.tasks().cancel(id));
      Object token = req.progressToken();
      JsonNode end = ToolWait.await(caller.tasks(), task, p -> {
        if (token != null) progress(ex, new ProgressNotification(token, p.fraction(), 1.0, p.message()));
      });
      return outcome(end);
    }
  }

  private static void progress(McpAsyncServerExchange ex, ProgressNotification n) {
    try {
      ex.progressNotification(n).block(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      // The client went away; the task runs on, and the result goes wherever the transport can send it.
      log.debug("progress notification not sent: {}", e.toString());
    }
  }

  private CallToolResult outcome(JsonNode task) {
    String id = task.path("task_id").asText();
    String status = ToolWait.status(task);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("task_id", id);
    result.put("status", status);
    if (status.equals("failed")) {
      String message = task.path("error").path("message").asText("");
      return error((message.isBlank() ? "the task failed" : message) + "\ntask_id: " + id);
    }
    if (!status.equals("completed")) {
      return CallToolResult.builder()
          .addTextContent("task " + id + " is still " + status + " after " + ToolWait.LIMIT.toMinutes()
              + " minutes; follow it with " + ToolCatalog.GET_TASK)
          .structuredContent(result)
          .build();
    }
    JsonNode output = task.path("output");
    String url = output.path("audio_url").asText();
    result.put("audio_url", url);
    if (output.path("duration").isNumber()) result.put("duration", output.get("duration").asDouble());
    return CallToolResult.builder().addTextContent(url).addTextContent(Json.write(result)).structuredContent(result).build();
  }

  private CallToolResult getTask(McpAsyncServerExchange ex, CallToolRequest req) {
    Object arg = req.arguments() == null ? null : req.arguments().get("task_id");
    if (!(arg instanceof String id) || id.isBlank()) return error("task_id is required: the id a generation tool returned");
    Optional<JsonNode> task = callers.apply(ex).tasks().get(id.trim());
    if (task.isEmpty()) return error("task " + id.trim() + " not found");
    return CallToolResult.builder()
        .addTextContent(Json.write(task.get()))
        .structuredContent(Json.MAPPER.convertValue(task.get(), Map.class))
        .build();
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
