package dev.refrain.task;

import dev.refrain.core.ApiError;
import java.util.Base64;

/**
 * Bytes a client sends inside JSON: raw base64 or a base64 `data:` URI (RFC 2397), as inline
 * audio and uploads take them. Bounded before decoding; anything amiss is an {@link ApiError}
 * naming the field (413 for too many bytes).
 */
public final class InlineData {
  private InlineData() {}

  /** Whether {@code value} is a `data:` URI (in any case). */
  public static boolean isDataUri(String value) {
    return value.regionMatches(true, 0, "data:", 0, 5);
  }

  /**
   * The bytes of {@code value}.
   *
   * @param mediaType what the URI form in an error message shows before {@code ;base64}, e.g. {@code audio/...}
   */
  public static byte[] decode(String field, String value, long maxBytes, String mediaType) {
    String payload = value.trim();
    if (isDataUri(payload)) {
      int comma = payload.indexOf(',');
      if (comma < 0 || !payload.substring(0, comma).toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
        throw ApiError.badRequest(field + " data URI must be of the form data:" + mediaType + ";base64,<data>");
      }
      payload = payload.substring(comma + 1);
    }
    return base64(field, payload, maxBytes);
  }

  /** Standard or URL-safe base64, padding optional, whitespace ignored. */
  private static byte[] base64(String field, String payload, long maxBytes) {
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
