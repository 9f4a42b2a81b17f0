package dev.refrain.task;

import dev.refrain.core.ApiError;
import java.util.Base64;
import java.util.Locale;

/**
 * An audio field of a request (`audio`, `style_audio`): an http(s) URL, a `data:` URI, or raw
 * base64. Inline payloads are decoded here, bounded, so the task stores a URL instead of echoing
 * megabytes back on every poll.
 */
public sealed interface AudioInput {
  record Url(String url) implements AudioInput {}

  record Inline(byte[] bytes) implements AudioInput {}

  static AudioInput parse(String field, String value, long maxBytes) {
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
    String payload = v;
    if (lower.startsWith("data:")) {
      int comma = v.indexOf(',');
      if (comma < 0 || !v.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw ApiError.badRequest(field + " data URI must be of the form data:audio/...;base64,<data>");
      }
      payload = v.substring(comma + 1);
    } else if (lower.contains("://")) {
      throw ApiError.badRequest(field + " must be an http(s) URL, a data URI or base64 audio");
    }
    return new Inline(decodeBase64(field, payload, maxBytes));
  }

  /** Standard or URL-safe base64, padding optional, whitespace ignored; bounded before decoding. */
  static byte[] decodeBase64(String field, String payload, long maxBytes) {
    String s = payload.replaceAll("\\s", "");
    if (s.isEmpty()) throw ApiError.badRequest(field + " is empty");
    if ((long) s.length() * 3 / 4 > maxBytes + 3) {
      throw new ApiError(413, field + " is larger than " + maxBytes + " bytes");
    }
    try {
      byte[] out = s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
      if (out.length == 0) throw ApiError.badRequest(field + " is empty");
      if (out.length > maxBytes) throw new ApiError(413, field + " is larger than " + maxBytes + " bytes");
      return out;
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field + " must be an http(s) URL, a data URI or base64 audio (it is not valid base64)");
    }
  }
}
