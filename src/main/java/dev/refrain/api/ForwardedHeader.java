package dev.refrain.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of RFC 7239's {@code Forwarded}: elements separated by commas, each a list of
 * {@code name=value} pairs separated by semicolons, a value a token or a quoted string (which may
 * hold commas, semicolons and escapes). Names are case-insensitive; they come back lower-cased.
 * Unquoted values may also hold {@code : [ ] /}: the RFC wants a host with a port quoted, and not
 * every proxy does.
 */
final class ForwardedHeader {
  private static final int MAX_LENGTH = 8192;

  private ForwardedHeader() {}

  /** The elements, each its pairs as {name, value}; null when the line is not well formed. */
  static List<List<String[]>> parse(String line) {
    if (line.length() > MAX_LENGTH) return null;
    List<List<String[]>> elements = new ArrayList<>();
    List<String[]> element = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      i = skipSpace(line, i);
      if (i < n && line.charAt(i) != ',' && line.charAt(i) != ';') {
        int start = i;
        while (i < n && isTokenChar(line.charAt(i))) i++;
        if (i == start || i >= n || line.charAt(i) != '=') return null;
        String name = line.substring(start, i).toLowerCase(Locale.ROOT);
        i++;
        StringBuilder value = new StringBuilder();
        if (i < n && line.charAt(i) == '"') {
          i++;
          while (i < n && line.charAt(i) != '"') {
            if (line.charAt(i) == '\\' && i + 1 < n) i++;
            value.append(line.charAt(i++));
          }
          if (i >= n) return null; // unterminated
          i++;
        } else {
          int vs = i;
          while (i < n && (isTokenChar(line.charAt(i)) || ":[]/".indexOf(line.charAt(i)) >= 0)) i++;
          if (i == vs) return null;
          value.append(line, vs, i);
        }
        element.add(new String[] {name, value.toString()});
        i = skipSpace(line, i);
      }
      if (i >= n) break;
      char c = line.charAt(i++);
      if (c == ',') {
        if (!element.isEmpty()) elements.add(element);
        element = new ArrayList<>();
      } else if (c != ';') {
        return null;
      }
    }
    if (!element.isEmpty()) elements.add(element);
    return elements;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    return i;
  }

  /** RFC 9110's tchar. */
  private static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
