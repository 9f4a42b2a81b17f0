package dev.refrain.audio;

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

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  public static Optional<OutputFormat> parse(String s) {
    if (s == null) return Optional.empty();
    for (OutputFormat f : values()) {
      if (f.extension.equals(s.trim().toLowerCase(Locale.ROOT))) return Optional.of(f);
    }
    return Optional.empty();
  }
}
