package dev.refrain.task;

import dev.refrain.core.ApiError;
import dev.refrain.core.TaskType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.audio.OutputFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A create request, validated and normalised per api.md: every rule broken is a 400 that names
 * the field. {@code input} is the echo clients see (defaults filled, aliases resolved); inline
 * audio is held aside in {@code inlineAudio} until the service stores it and puts its URL in.
 */
public record TaskRequest(
    String model,
    TaskType type,
    ObjectNode input,
    ObjectNode config,
    String webhookEndpoint,
    String webhookSecret,
    Long seed,
    OutputFormat outputFormat,
    Map<String, AudioInput> audio) {

  public static final String MODEL = "Qubico/ace-step";
  static final int PROMPT_MAX = 1024;
  static final int LYRICS_MAX = 4096;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Limits that come from configuration. */
  public record Limits(int maxDurationSeconds, long maxInlineBytes) {}

  public static TaskRequest parse(ObjectNode body, Limits limits) {
    String model = text(body, "model", "model", true, 200);
    if (!model.equals(MODEL)) throw ApiError.badRequest("model must be one of: " + MODEL + " (got '" + model + "')");
    String typeName = text(body, "task_type", "task_type", true, 100);
    TaskType type = TaskType.fromWire(typeName).orElseThrow(() ->
        ApiError.badRequest("task_type must be one of: " + TaskType.allowed() + " (got '" + typeName + "')"));
    JsonNode in = body.get("input");
    if (in == null || in.isNull()) throw ApiError.badRequest("input is required");
    if (!in.isObject()) throw ApiError.badRequest("input must be a JSON object");

    ObjectNode echo = JSON.objectNode();
    Map<String, AudioInput> audio = new LinkedHashMap<>();
    switch (type) {
      case TXT2AUDIO -> {
        echo.put("style_prompt", prompt(in, "style_prompt", true));
        echo.put("lyrics", lyrics(in, "lyrics"));
        echo.put("duration", number(in, "duration", 60, 10, limits.maxDurationSeconds()));
        negative(in, echo);
      }
      case AUDIO2AUDIO -> {
        audio(in, "style_audio", limits, echo, audio);
        echo.put("style_prompt", prompt(in, "style_prompt", true));
        echo.put("lyrics", lyrics(in, "lyrics"));
        negative(in, echo);
      }
      case EDIT -> {
        audio(in, "audio", limits, echo, audio);
        echo.put("style_prompt", prompt(in, "style_prompt", true));
        echo.put("lyrics", lyrics(in, "lyrics"));
        echo.put("edit_style_prompt", prompt(in, "edit_style_prompt", true));
        echo.put("edit_lyrics", lyrics(in, "edit_lyrics"));
      }
      case EXTEND -> {
        audio(in, "audio", limits, echo, audio);
        double left = number(in, "left_extend_duration", 0, 0, limits.maxDurationSeconds());
        double right = number(in, "right_extend_duration", 0, 0, limits.maxDurationSeconds());
        if (left + right <= 0) {
          throw ApiError.badRequest("input.left_extend_duration + input.right_extend_duration must be greater than 0");
        }
        if (left + right > limits.maxDurationSeconds()) {
          throw ApiError.badRequest("input.left_extend_duration + input.right_extend_duration must be at most "
              + limits.maxDurationSeconds() + " seconds (the whole output is at most that long)");
        }
        echo.put("left_extend_duration", left);
        echo.put("right_extend_duration", right);
        echo.put("style_prompt", prompt(in, "style_prompt", true));
        echo.put("lyrics", lyrics(in, "lyrics"));
        negative(in, echo);
      }
    }
    Long seed = seed(in);
    if (seed != null) echo.put("seed", seed);
    knobs(in, type, echo);
    OutputFormat format = OutputFormat.MP3;
    JsonNode f = in.get("output_format");
    if (f != null && !f.isNull()) {
      if (!f.isTextual()) throw ApiError.badRequest("input.output_format must be a string: mp3, wav or flac");
      format = OutputFormat.parse(f.asText()).orElseThrow(() ->
          ApiError.badRequest("input.output_format must be one of: mp3, wav, flac (got '" + f.asText() + "')"));
      echo.put("output_format", format.extension());
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
    return new TaskRequest(model, type, echo, config, endpoint == null || endpoint.isEmpty() ? null : endpoint,
        secret == null || secret.isEmpty() ? null : secret, seed, format, audio);
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

  private static void audio(JsonNode in, String field, Limits limits, ObjectNode echo, Map<String, AudioInput> audio) {
    String value = text(in, field, "input." + field, true, Integer.MAX_VALUE);
    AudioInput parsed = AudioInput.parse("input." + field, value, limits.maxInlineBytes());
    audio.put(field, parsed);
    echo.put(field, parsed instanceof AudioInput.Url u ? u.url() : "");
  }

  private static String prompt(JsonNode in, String field, boolean required) {
    return text(in, field, "input." + field, required, PROMPT_MAX);
  }

  private static String lyrics(JsonNode in, String field) {
    String s = text(in, field, "input." + field, false, LYRICS_MAX);
    return s.isEmpty() ? "[inst]" : s;
  }

  private static void negative(JsonNode in, ObjectNode echo) {
    String neg = text(in, "negative_style_prompt", "input.negative_style_prompt", false, PROMPT_MAX);
    if (neg.isEmpty()) neg = text(in, "negative_prompt", "input.negative_prompt", false, PROMPT_MAX);
    echo.put("negative_style_prompt", neg);
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

  private static String optionalText(JsonNode parent, String name, String field, int max) {
    return text(parent, name, field, false, max);
  }

  private static double number(JsonNode in, String name, double dflt, double min, double max) {
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

  /** The optional generation knobs (beyond PiAPI), echoed only when given. */
  private static void knobs(JsonNode in, TaskType type, ObjectNode echo) {
    JsonNode steps = in.get("infer_step");
    if (steps != null && !steps.isNull()) {
      // canConvertToInt first: intValue() of a larger number keeps its low bits (4294967301 would be 5).
      if (!steps.isIntegralNumber() || !steps.canConvertToInt() || steps.intValue() < 1 || steps.intValue() > 200) {
        throw ApiError.badRequest("input.infer_step must be a whole number between 1 and 200");
      }
      echo.put("infer_step", steps.intValue());
    }
    optionalNumber(in, "guidance_scale", 0, 30, echo);
    if (type == TaskType.AUDIO2AUDIO) optionalNumber(in, "ref_audio_strength", 0, 1, echo);
    if (type == TaskType.EDIT) optionalNumber(in, "edit_strength", 0, 1, echo);
  }

  private static void optionalNumber(JsonNode in, String name, double min, double max, ObjectNode echo) {
    JsonNode n = in.get(name);
    if (n == null || n.isNull()) return;
    if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < min || n.asDouble() > max) {
      throw ApiError.badRequest("input." + name + " must be a number between " + fmt(min) + " and " + fmt(max));
    }
    echo.put(name, n.asDouble());
  }

  private static Long seed(JsonNode in) {
    JsonNode n = in.get("seed");
    if (n == null || n.isNull()) return null;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      long s = n.asLong();
      // ACE-Step treats -1 as "draw one".
      return s == -1 ? null : s;
    }
    throw ApiError.badRequest("input.seed must be an integer");
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
