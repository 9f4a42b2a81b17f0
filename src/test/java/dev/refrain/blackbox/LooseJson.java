package dev.refrain.blackbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An answer as the README shows it ({@code {"code":200,"data":{"task_id":"…",…},"timestamp":…}}), read
 * as a pattern: {@code …} as a value stands for any value, {@code …} inside a string for any text,
 * {@code ,…} for more fields. An answer matches when it has every field the pattern names, with that
 * value; fields the README leaves out are allowed.
 */
final class LooseJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANY = "…";

  private LooseJson() {}

  /** The README's example answer as a pattern. */
  static JsonNode pattern(String shown) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < shown.length()) out.append(shown.charAt(++i));
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c == '…') {
        String before = out.toString().stripTrailing();
        if (before.endsWith(":") || before.endsWith("[")) {
          out.append('"').append(ANY).append('"');
        } else if (before.endsWith(",")) {
          out.setLength(before.length() - 1); // ",…": more fields
        } else if (!before.endsWith("{")) {
          throw new IllegalArgumentException("cannot read '…' at " + i + " in " + shown);
        }
      } else {
        out.append(c);
      }
    }
    try {
      return JSON.readTree(out.toString());
    } catch (Exception e) {
      throw new IllegalArgumentException("the README's example answer is not JSON: " + shown, e);
    }
  }

  /** Where {@code actual} differs from {@code pattern}; empty when it matches. */
  static List<String> mismatches(JsonNode pattern, JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare("$", pattern, actual, out);
    return out;
  }

  private static void compare(String path, JsonNode p, JsonNode a, List<String> out) {
    if (p.isTextual() && p.asText().equals(ANY)) {
      if (a == null || a.isMissingNode()) out.add(path + " is missing");
      return;
    }
    if (a == null || a.isMissingNode()) {
      out.add(path + " is missing (the README shows " + p + ")");
    } else if (p.isObject()) {
      if (!a.isObject()) {
        out.add(path + " is " + a + ", not an object");
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        compare(path + "." + f.getKey(), f.getValue(), a.get(f.getKey()), out);
      }
    } else if (p.isTextual() && p.asText().contains(ANY)) {
      String regex = Pattern.quote(p.asText()).replace(ANY, "\\E.*\\Q");
      if (!a.isTextual() || !a.asText().matches(regex)) out.add(path + " is " + a + ", the README shows " + p);
    } else if (p.isNumber()) {
      if (!a.isNumber() || a.decimalValue().compareTo(p.decimalValue()) != 0) out.add(path + " is " + a + ", the README shows " + p);
    } else if (!p.equals(a)) {
      out.add(path + " is " + a + ", the README shows " + p);
    }
  }
}
