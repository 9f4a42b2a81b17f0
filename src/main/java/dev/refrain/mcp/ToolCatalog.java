package dev.refrain.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.InputSchema;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Map;

/**
 * The tools as an agent sees them: named as PiAPI's own MCP server names its ACE-Step tools
 * (`piapi_<model>_<task_type>` slugs), with its input parameter names, and described for the agent
 * that reads them. Inputs are those of ../shared/spec/api.md, described by InputFields, and go to
 * the task API as they come.
 */
final class ToolCatalog {
  static final String PREFIX = "piapi_qubico_ace_step_";
  static final String GET_TASK = "piapi_get_task";

  private static final String RESULT = " Waits until the audio is ready, sending progress notifications while the task runs,"
      + " and returns the audio's URL (audio_url, to download or play), the task_id and the duration in seconds. If the"
      + " task is still running when the wait ends, it returns the task_id with its status: follow it with " + GET_TASK + ".";

  private ToolCatalog() {}

  static String name(TaskType type) {
    return PREFIX + type.wire();
  }

  static Tool generate(TaskType type) {
    String what = switch (type) {
      case TXT2AUDIO -> "Compose a new piece of music with ACE-Step from a description of its style and optional lyrics";
      case AUDIO2AUDIO -> "Make new music in another style from a reference recording, at the reference's length";
      case EDIT -> "Restyle a recording: keep its length, beat and sections, and change its style and lyrics from what it is"
          + " (style_prompt, lyrics) to what is wanted (edit_style_prompt, edit_lyrics)";
      case EXTEND -> "Lengthen a recording with new music before and/or after it, in its tempo and key";
    } + " (PiAPI model " + TaskType.MODEL + ", task " + type.wire() + ").";
    return Tool.builder()
        .name(name(type))
        .title("ACE-Step " + type.wire())
        .description(what + RESULT)
        .inputSchema(map(InputSchema.of(type, InputSchema.Reader.MCP)))
        .outputSchema(resultSchema())
        .annotations(new ToolAnnotations("ACE-Step " + type.wire(), false, false, false, true, null))
        .build();
  }

  static Tool getTask() {
    Schema s = new Schema();
    s.text("task_id", true, "The task_id a generation tool returned (a UUID).");
    return Tool.builder()
        .name(GET_TASK)
        .title("Get a music task")
        .description("Look up a music generation task by its task_id: its status (pending, processing, completed or"
            + " failed), its progress while it runs (meta.progress from 0 to 1, meta.stage), output.audio_url and"
            + " output.duration once completed, or error.message once failed. Returns the task object as the PiAPI task"
            + " API does. Use it to follow a task a generation tool gave back still running.")
        .inputSchema(s.map())
        .annotations(new ToolAnnotations("Get a music task", true, false, true, true, null))
        .build();
  }

  /** The structured result of a generation tool. */
  private static Map<String, Object> resultSchema() {
    Schema s = new Schema();
    s.text("task_id", true, "The task's id.");
    s.text("status", true, "completed, or pending/processing when the wait ended first.");
    s.text("audio_url", false, "URL of the generated audio, once completed.");
    s.number("duration", "Length of the generated audio in seconds, once completed.", 0);
    return s.map();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(ObjectNode schema) {
    return Json.MAPPER.convertValue(schema, Map.class);
  }

  /** A JSON Schema for an object, property by property. */
  private static final class Schema {
    private final ObjectNode root = Json.object().put("type", "object");
    private final ObjectNode properties = root.putObject("properties");
    private final ArrayNode required = Json.array();

    void text(String name, boolean mandatory, String doc) {
      properties.putObject(name).put("type", "string").put("description", doc);
      if (mandatory) required.add(name);
    }

    void number(String name, String doc, double minimum) {
      properties.putObject(name).put("type", "number").put("minimum", minimum).put("description", doc);
    }

    Map<String, Object> map() {
      if (!required.isEmpty()) root.set("required", required);
      return ToolCatalog.map(root);
    }
  }
}
