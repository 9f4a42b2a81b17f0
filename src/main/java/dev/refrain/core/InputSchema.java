package dev.refrain.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A task type's `input` as a JSON Schema object, made from {@link InputFields}: for the OpenAPI document and the MCP tools. */
public final class InputSchema {
  /** Who reads the schema: the OpenAPI document marks what is beyond PiAPI; MCP tools name fields as PiAPI's own tools do. */
  public enum Reader { OPENAPI, MCP }

  private InputSchema() {}

  /** The schema of {@code type}'s input; durations have no maximum in it, as each server sets its own ceiling. */
  public static ObjectNode of(TaskType type, Reader reader) {
    ObjectNode schema = Json.object().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = Json.array();
    for (InputField f : InputFields.of(type)) {
      // PiAPI's MCP tools call the negative prompt by its alias; the task API takes both names.
      String name = reader == Reader.MCP && f.alias() != null ? f.alias() : f.name();
      properties.set(name, property(f, reader));
      if (reader == Reader.OPENAPI && f.alias() != null) {
        properties.putObject(f.alias()).put("type", "string").put("maxLength", InputField.PROMPT_MAX)
            .put("description", "Another name of `" + f.name() + "`, read when that one is absent.");
      }
      if (f.required()) required.add(name);
    }
    if (!required.isEmpty()) schema.set("required", required);
    return schema;
  }

  private static ObjectNode property(InputField f, Reader reader) {
    ObjectNode p = Json.object();
    switch (f.kind()) {
      case PROMPT -> {
        p.put("type", "string");
        if (f.required()) p.put("minLength", 1);
        p.put("maxLength", InputField.PROMPT_MAX);
      }
      case LYRICS -> p.put("type", "string").put("maxLength", InputField.LYRICS_MAX).put("default", InputField.INSTRUMENTAL);
      case AUDIO -> p.put("type", "string").put("minLength", 1);
      case SECONDS -> number(number(p.put("type", "number"), "minimum", f.min()), "default", f.dflt());
      case WHOLE -> number(number(p.put("type", "integer"), "minimum", f.min()), "maximum", f.max());
      case NUMBER -> number(number(p.put("type", "number"), "minimum", f.min()), "maximum", f.max());
      case SEED -> p.put("type", "integer");
      case FORMAT -> {
        p.put("type", "string");
        ArrayNode formats = p.putArray("enum");
        for (OutputFormat o : OutputFormat.values()) formats.add(o.extension());
        p.put("default", OutputFormat.MP3.extension());
      }
    }
    if (f.beyondPiapi() && reader == Reader.OPENAPI) p.put("x-beyond-piapi", true);
    return p.put("description", f.description());
  }

  /** Whole numbers as integers: a schema reads "minimum": 10, not 10.0. */
  private static ObjectNode number(ObjectNode p, String name, double v) {
    return v == Math.rint(v) ? p.put(name, (long) v) : p.put(name, v);
  }
}
