package dev.refrain.task;

import dev.refrain.core.ApiError;
import java.util.Locale;

/**
 * The audio field of a request (`audio`, `style_audio`) as the client gave it: an http(s) URL, a
 * `data:` URI, or raw base64. Inline payloads are decoded ({@link InlineData}), bounded, so the
 * task stores a URL instead of echoing megabytes back on every poll.
 */
public sealed interface AudioField {
  record Url(String url) implements AudioField {}

  record Inline(byte[] bytes) implements AudioField {}

  static AudioField parse(String field, String value, long maxBytes) {
    String v = value.trim();
    String lower = v.length() > 8 ? v.substring(0, 8).toLowerCase(Locale.ROOT) : v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        java.net.URI u = new java.net.URI(v);
        if (u.getHost() == null || u.getHost().isEmpty()) throw new java.net.URISyntaxException(v, "no host");
      } catch (java.net.URISyntaxException e) {
        throw ApiError.badRequest(field + " is not a valid URL");
      }
      if (v.length() > 4096) throw ApiError.badRequest(field + " URL is longer than 4096 characters");
      return new Url(v);
    }
    if (!InlineData.isDataUri(v) && lower.contains("://")) {
      throw ApiError.badRequest(field + " must be an http(s) URL, a data URI or base64 audio");
    }
    return new Inline(InlineData.decode(field, v, maxBytes, "audio/..."));
  }
}
