package dev.refrain.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The formats a task can ask its output in (`input.output_format`). */
public enum OutputFormat {
  MP3("mp3", "audio/mpeg"),
  WAV("wav", "audio/wav"),
  FLAC("flac", "audio/flac");

  private final String extension;
  private final String contentType;

  OutputFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  @JsonValue
  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /** For JSON: stored inputs hold the format by its extension. */
  @JsonCreator
  static OutputFormat of(String extension) {
    return parse(extension).orElseThrow(() -> new IllegalArgumentException("not an output format: " + extension));
  }

  public static Optional<OutputFormat> parse(String s) {
    if (s == null) return Optional.empty();
    for (OutputFormat f : values()) {
      if (f.extension.equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(f);
    }
    return Optional.empty();
  }
}
