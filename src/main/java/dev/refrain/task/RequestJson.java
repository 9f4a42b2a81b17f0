package dev.refrain.task;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a client's JSON request body strictly: one JSON object and nothing after it, no name twice
 * in an object (which of two values counts is a guess, and the client's and ours may differ), and
 * every string well-formed Unicode. A JSON escape can spell a lone UTF-16 surrogate
 * ({@code "\ud800"}), which no UTF-8 writer can put back on the wire: taken in, it would fail the
 * answer after the task was committed. Every refusal is a 400 that says where.
 */
public final class RequestJson {
  private static final ObjectReader STRICT = Json.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private RequestJson() {}

  public static ObjectNode object(byte[] body) {
    JsonNode json;
    try {
      json = STRICT.readTree(body);
    } catch (MismatchedInputException e) { // read as a tree, only what follows the value is a mismatch
      throw ApiError.badRequest("request body is not valid JSON: more follows the JSON value" + where(e));
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("request body is not valid JSON: " + e.getOriginalMessage() + where(e));
    } catch (IOException e) {
      throw ApiError.badRequest("request body is not valid JSON");
    }
    if (json == null || !json.isObject()) throw ApiError.badRequest("request body must be a JSON object");
    checkUnicode(json, "");
    return (ObjectNode) json;
  }

  /** " (at input.x[1].a, line 1, column 28)": the field being read when the parser stopped, and the place. */
  private static String where(JsonProcessingException e) {
    StringBuilder path = new StringBuilder();
    if (e.getProcessor() instanceof JsonParser p) {
      for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) path.insert(0, "[" + c.getCurrentIndex() + "]");
        else if (c.getCurrentName() != null) path.insert(0, (c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
      }
    }
    JsonLocation at = e.getLocation();
    String place = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    if (!path.isEmpty()) place = "at " + path + (place.isEmpty() ? "" : ", " + place);
    return place.isEmpty() ? "" : " (" + place + ")";
  }

  private static void checkUnicode(JsonNode n, String path) {
    if (n.isTextual()) {
      String s = n.textValue();
      int at = loneSurrogate(s);
      if (at >= 0) {
        throw ApiError.badRequest(String.format("%s must be well-formed Unicode: it has a lone UTF-16 surrogate (\\u%04x) at character %d",
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
