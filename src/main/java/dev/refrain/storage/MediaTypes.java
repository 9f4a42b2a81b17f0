package dev.refrain.storage;

import java.util.Locale;
import java.util.Map;

/** Content-Type of a served file, from its extension (we named the files, so names are trusted). */
public final class MediaTypes {
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"),
      Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"),
      Map.entry("aac", "audio/aac"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("png", "image/png"), Map.entry("webp", "image/webp"), Map.entry("mp4", "video/mp4"));

  private MediaTypes() {}

  public static String forName(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return BY_EXTENSION.getOrDefault(ext, "application/octet-stream");
  }
}
