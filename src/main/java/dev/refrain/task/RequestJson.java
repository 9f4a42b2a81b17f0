package dev.refrain.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a client's JSON request body: a JSON object whose every string, names included, is
 * well-formed Unicode. A JSON escape can spell a lone UTF-16 surrogate ({@code "\ud800"}), which
 * no UTF-8 writer can put back on the wire: taken in, it would fail the answer after the task was
 * committed. Every refusal is a 400 that names the field.
 */
public final class RequestJson {
  private RequestJson() {}

  public static ObjectNode object(byte[] body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw TaskRejected.badRequest("request body is not valid JSON");
    }
    if (json == null || !json.isObject()) throw TaskRejected.badRequest("request body must be a JSON object");
    checkUnicode(json, "");
    return (ObjectNode) json;
  }

  private static void checkUnicode(JsonNode n, String path) {
    if (n.isTextual()) {
      String s = n.textValue();
      int at = loneSurrogate(s);
      if (at >= 0) {
        throw TaskRejected.badRequest(String.format("%s must be well-formed Unicode: it has a lone UTF-16 surrogate (\\u%04x) at character %d",
            path, (int) s.charAt(at), at + 1));
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) checkUnicode(n.get(i), path + "[" + i + "]");
    } else if (n.isObject()) {
      // Names need no check: Jackson's parser of bytes refuses a lone surrogate in one itself.
      for (Map.Entry<String, JsonNode> e : n.properties()) checkUnicode(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
    }
  }

  /** The index of the first surrogate that is not half of a pair, or -1. */
  private static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return i;
    }
    return -1;
  }
}
