package dev.refrain.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.ApiError;
import dev.refrain.task.InlineData;
import dev.refrain.task.RequestJson;
import java.util.Locale;
import java.util.Set;

/**
 * A checked `POST /api/ephemeral_resource` body: {@code name} as the client gave it, {@code safeName}
 * fit to be the last part of a storage key (no separators, no dot runs), and the decoded bytes.
 */
record UploadRequest(String name, String safeName, byte[] data) {
  private static final Set<String> EXTENSIONS =
      Set.of("mp3", "wav", "flac", "ogg", "opus", "m4a", "aac", "jpg", "jpeg", "png", "webp", "mp4");

  /** Reads {@code body}; anything amiss is a {@link ApiError} naming the field (413 for data over {@code maxBytes}). */
  static UploadRequest parse(byte[] body, long maxBytes) {
    JsonNode json = RequestJson.object(body);
    JsonNode nameNode = json.get("file_name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) throw ApiError.badRequest("file_name is required");
    String name = nameNode.asText().trim();
    if (name.length() > 128) throw ApiError.badRequest("file_name must be at most 128 characters");
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (!EXTENSIONS.contains(ext)) {
      throw ApiError.badRequest("file_name must end in one of: " + String.join(", ", EXTENSIONS.stream().sorted().toList()));
    }
    JsonNode data = json.get("file_data");
    if (data == null || !data.isTextual() || data.asText().isBlank()) throw ApiError.badRequest("file_data is required");
    byte[] bytes = InlineData.decode("file_data", data.asText(), maxBytes, "<type>");
    return new UploadRequest(name, name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.\\.+", "."), bytes);
  }
}
