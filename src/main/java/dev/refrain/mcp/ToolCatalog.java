package dev.refrain.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Map;

/**
 * The tools as an agent sees them: named as PiAPI's own MCP server names its ACE-Step tools
 * (`piapi_<model>_<task_type>` slugs), with its input parameter names, and described for the agent
 * that reads them. Inputs are exactly api.md's, passed to the task API as they come.
 */
final class ToolCatalog {
  static final String PREFIX = "piapi_qubico_ace_step_";
  static final String GET_TASK = "piapi_get_task";

  private static final String AUDIO_FORMS = "An http(s) URL, raw base64, or a data:audio/...;base64, URI; mp3, wav, flac, ogg,"
      + " opus or m4a (the format is read from the bytes). Inline data may be at most 10 MB decoded: upload bigger files"
      + " and pass their URL.";
  private static final String LYRICS = "Lyrics, one line per sung phrase, under section tags on their own lines: [intro], [verse],"
      + " [pre-chorus], [chorus], [bridge], [outro]. \"[inst]\" alone means instrumental, no vocals. At most 4096 characters.";
  private static final String NEGATIVE = "What to keep out of the music: instruments, styles or traits, e.g. \"drums, distorted"
      + " guitar, fast\". Optional.";
  private static final String SEED = "Integer seed for reproducible output: the same request with the same seed gives the same"
      + " audio. Drawn at random when omitted.";
  private static final String FORMAT = "Format of the output file: mp3 (the default), wav or flac.";
  private static final String RESULT = " Waits until the audio is ready, sending progress notifications while the task runs,"
      + " and returns the audio's URL (audio_url, to download or play), the task_id and the duration in seconds. If the"
      + " task is still running when the wait ends, it returns the task_id with its status: follow it with " + GET_TASK + ".";

  private ToolCatalog() {}

  static String name(TaskType type) {
    return PREFIX + type.wire();
  }

  static Tool generate(TaskType type) {
    Schema s = new Schema();
    String what = switch (type) {
      case TXT2AUDIO -> {
        s.text("style_prompt", true, "Style of the music: genre, mood, instruments, tempo, key, as comma-separated tags,"
            + " e.g. \"upbeat pop, piano, female vocals, 120 bpm, in A minor\". At most 1024 characters.");
        s.text("lyrics", false, LYRICS + " Default \"[inst]\".");
        s.number("duration", "Length of the music in seconds, from 10 to 240 (the server may set a lower ceiling). Default 60.", 10);
        s.text("negative_prompt", false, NEGATIVE);
        yield "Compose a new piece of music with ACE-Step from a description of its style and optional lyrics"
            + " (PiAPI model Qubico/ace-step, task txt2audio).";
      }
      case AUDIO2AUDIO -> {
        s.text("style_audio", true, "The reference audio whose tempo, key, loudness contour and length the new music follows. "
            + AUDIO_FORMS);
        s.text("style_prompt", true, "Style of the new music: genre, mood, instruments, as comma-separated tags, e.g."
            + " \"lofi hip hop, mellow, rhodes\". At most 1024 characters.");
        s.text("lyrics", false, LYRICS + " Default \"[inst]\".");
        s.text("negative_prompt", false, NEGATIVE);
        yield "Make new music in another style from a reference recording, at the reference's length"
            + " (PiAPI model Qubico/ace-step, task audio2audio).";
      }
      case EDIT -> {
        s.text("audio", true, "The audio to edit; the output has its length. " + AUDIO_FORMS);
        s.text("style_prompt", true, "The style of the input audio as it is now, e.g. \"acoustic guitar, folk\".");
        s.text("lyrics", false, "The lyrics of the input audio as it is now, with section tags. Default \"[inst]\".");
        s.text("edit_style_prompt", true, "The style wanted, e.g. \"acoustic guitar and piano, pop\".");
        s.text("edit_lyrics", false, "The lyrics wanted. " + LYRICS + " Default \"[inst]\".");
        yield "Restyle a recording: keep its length, beat and sections, and change its style and lyrics from what it is"
            + " (style_prompt, lyrics) to what is wanted (edit_style_prompt, edit_lyrics)"
            + " (PiAPI model Qubico/ace-step, task edit).";
      }
      case EXTEND -> {
        s.text("audio", true, "The audio to extend; it is kept unchanged in the middle of the output. " + AUDIO_FORMS);
        s.number("left_extend_duration", "Seconds of new music to add before the audio. Default 0.", 0);
        s.number("right_extend_duration", "Seconds of new music to add after the audio. Default 0. Together with"
            + " left_extend_duration it must be more than 0, and the whole output at most 240 seconds.", 0);
        s.text("style_prompt", true, "Style of the added music, usually that of the audio, e.g. \"piano, calm\".");
        s.text("lyrics", false, LYRICS + " Default \"[inst]\".");
        s.text("negative_prompt", false, NEGATIVE);
        yield "Lengthen a recording with new music before and/or after it, in its tempo and key"
            + " (PiAPI model Qubico/ace-step, task extend).";
      }
    };
    s.integer("seed", SEED);
    s.choice("output_format", FORMAT, "mp3", "wav", "flac");
    return Tool.builder()
        .name(name(type))
        .title("ACE-Step " + type.wire())
        .description(what + RESULT)
        .inputSchema(s.map())
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

    void integer(String name, String doc) {
      properties.putObject(name).put("type", "integer").put("description", doc);
    }

    void choice(String name, String doc, String... values) {
      ArrayNode allowed = properties.putObject(name).put("type", "string").put("description", doc).putArray("enum");
      for (String v : values) allowed.add(v);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      if (!required.isEmpty()) root.set("required", required);
      return Json.MAPPER.convertValue(root, Map.class);
    }
  }
}
