package dev.refrain.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.InputField;
import dev.refrain.core.InputFields;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;

/**
 * A create request, validated and normalised per ../shared/spec/api.md: every rule broken is a 400
 * that names the field. The input's fields are read as {@link InputFields} describes them. Inline
 * audio is held aside in {@code audio} until the service stores it and puts its URL in the input.
 *
 * @param audio the source audio as the client gave it; null for txt2audio
 */
public record TaskRequest(
    String model,
    TaskType type,
    TaskInput input,
    ObjectNode config,
    String webhookEndpoint,
    String webhookSecret,
    AudioField audio) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Limits that come from configuration. */
  public record Limits(int maxDurationSeconds, long maxInlineBytes) {}

  public static TaskRequest parse(ObjectNode body, Limits limits) {
    String model = text(body, "model", "model", true, 200);
    if (!model.equals(TaskType.MODEL)) throw ApiError.badRequest("model must be one of: " + TaskType.MODEL + " (got '" + model + "')");
    String typeName = text(body, "task_type", "task_type", true, 100);
    TaskType type = TaskType.fromWire(typeName).orElseThrow(() ->
        ApiError.badRequest("task_type must be one of: " + TaskType.allowed() + " (got '" + typeName + "')"));
    JsonNode in = body.get("input");
    if (in == null || in.isNull()) throw ApiError.badRequest("input is required");
    if (!in.isObject()) throw ApiError.badRequest("input must be a JSON object");

    ObjectNode echo = JSON.objectNode();
    AudioField audio = null;
    for (InputField f : InputFields.of(type)) {
      String name = f.name();
      switch (f.kind()) {
        case PROMPT -> {
          // Read under the alias only when the name is absent, and echoed under whichever was read.
          boolean byAlias = f.alias() != null && isAbsent(in, name) && !isAbsent(in, f.alias());
          String sent = byAlias ? f.alias() : name;
          echo.put(sent, text(in, sent, "input." + sent, f.required(), InputField.PROMPT_MAX));
        }
        case LYRICS -> {
          String v = text(in, name, "input." + name, false, InputField.LYRICS_MAX);
          echo.put(name, v.isEmpty() ? InputField.INSTRUMENTAL : v);
        }
        case AUDIO -> {
          // An optional one sent empty (as catalog-driven clients fill unset fields) counts as absent.
          if (!f.required() && (isAbsent(in, name) || in.get(name).isTextual() && in.get(name).asText().isBlank())) continue;
          String given = text(in, name, "input." + name, true, Integer.MAX_VALUE);
          audio = AudioField.parse("input." + name, given, limits.maxInlineBytes());
          echo.put(name, audio instanceof AudioField.Url u ? u.url() : "");
        }
        case SECONDS -> echo.put(name, seconds(in, name, f.dflt(), f.min(), limits.maxDurationSeconds()));
        case WHOLE -> {
          JsonNode n = in.get(name);
          if (n == null || n.isNull()) continue;
          // canConvertToInt first: intValue() of a larger number keeps its low bits (4294967301 would be 5).
          if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < f.min() || n.intValue() > f.max()) {
            throw ApiError.badRequest("input." + name + " must be a whole number between " + fmt(f.min()) + " and " + fmt(f.max()));
          }
          echo.put(name, n.intValue());
        }
        case NUMBER -> {
          JsonNode n = in.get(name);
          if (n == null || n.isNull()) continue;
          if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < f.min() || n.asDouble() > f.max()) {
            throw ApiError.badRequest("input." + name + " must be a number between " + fmt(f.min()) + " and " + fmt(f.max()));
          }
          echo.put(name, n.asDouble());
        }
        case SEED -> {
          JsonNode n = in.get(name);
          if (n == null || n.isNull()) continue;
          if (!n.isIntegralNumber() || !n.canConvertToLong()) throw ApiError.badRequest("input." + name + " must be an integer");
          if (n.asLong() != -1) echo.put(name, n.asLong()); // ACE-Step's -1: draw one
        }
        case FORMAT -> {
          JsonNode n = in.get(name);
          if (n == null || n.isNull()) continue;
          if (!n.isTextual()) throw ApiError.badRequest("input." + name + " must be a string: mp3, wav or flac");
          OutputFormat format = OutputFormat.parse(n.asText()).orElseThrow(() ->
              ApiError.badRequest("input." + name + " must be one of: mp3, wav, flac (got '" + n.asText() + "')"));
          echo.put(name, format.extension());
        }
      }
    }
    if (type == TaskType.EXTEND) {
      double added = echo.path("left_extend_duration").asDouble() + echo.path("right_extend_duration").asDouble();
      if (added <= 0) {
        throw ApiError.badRequest("input.left_extend_duration + input.right_extend_duration must be greater than 0");
      }
      if (added > limits.maxDurationSeconds()) {
        throw ApiError.badRequest("input.left_extend_duration + input.right_extend_duration must be at most "
            + limits.maxDurationSeconds() + " seconds (the whole output is at most that long)");
      }
    }

    ObjectNode config = JSON.objectNode();
    String endpoint = null;
    String secret = null;
    JsonNode cfg = body.get("config");
    String serviceMode = "";
    if (cfg != null && !cfg.isNull()) {
      if (!cfg.isObject()) throw ApiError.badRequest("config must be a JSON object");
      serviceMode = optionalText(cfg, "service_mode", "config.service_mode", 100);
      JsonNode wh = cfg.get("webhook_config");
      if (wh != null && !wh.isNull()) {
        if (!wh.isObject()) throw ApiError.badRequest("config.webhook_config must be a JSON object");
        endpoint = optionalText(wh, "endpoint", "config.webhook_config.endpoint", 2048);
        secret = optionalText(wh, "secret", "config.webhook_config.secret", 512);
        if (!endpoint.isEmpty()) checkEndpoint(endpoint);
      }
    }
    config.put("service_mode", serviceMode);
    ObjectNode whEcho = config.putObject("webhook_config");
    whEcho.put("endpoint", endpoint == null ? "" : endpoint);
    whEcho.put("secret", ""); // never echo the secret back
    return new TaskRequest(model, type, TaskInput.of(type, echo), config, endpoint == null || endpoint.isEmpty() ? null : endpoint,
        secret == null || secret.isEmpty() ? null : secret, audio);
  }

  private static void checkEndpoint(String endpoint) {
    try {
      java.net.URI u = new java.net.URI(endpoint);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw ApiError.badRequest("config.webhook_config.endpoint must be an absolute http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw ApiError.badRequest("config.webhook_config.endpoint must be an absolute http(s) URL");
    }
  }

  private static String text(JsonNode parent, String name, String field, boolean required, int max) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      if (required) throw ApiError.badRequest(field + " is required");
      return "";
    }
    if (!n.isTextual()) throw ApiError.badRequest(field + " must be a string");
    String s = n.asText().strip();
    if (required && s.isEmpty()) throw ApiError.badRequest(field + " is required and must not be empty");
    if (s.length() > max) throw ApiError.badRequest(field + " must be at most " + max + " characters (got " + s.length() + ")");
    return s;
  }

  private static boolean isAbsent(JsonNode parent, String name) {
    JsonNode n = parent.get(name);
    return n == null || n.isNull();
  }

  private static String optionalText(JsonNode parent, String name, String field, int max) {
    return text(parent, name, field, false, max);
  }

  private static double seconds(JsonNode in, String name, double dflt, double min, double max) {
    JsonNode n = in.get(name);
    String field = "input." + name;
    if (n == null || n.isNull()) return dflt;
    double v;
    if (n.isNumber()) {
      v = n.asDouble();
    } else if (n.isTextual()) {
      try {
        v = Double.parseDouble(n.asText().trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest(field + " must be a number of seconds");
      }
    } else {
      throw ApiError.badRequest(field + " must be a number of seconds");
    }
    if (!Double.isFinite(v) || v < min || v > max) {
      throw ApiError.badRequest(field + " must be between " + fmt(min) + " and " + fmt(max) + " seconds (got " + fmt(v) + ")");
    }
    return v;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
