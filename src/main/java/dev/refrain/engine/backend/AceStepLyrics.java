package dev.refrain.engine.backend;

import java.util.Locale;

/** Lyrics as ACE-Step wants them: PiAPI's `[inst]` / `[instrumental]` become `[Instrumental]`. */
final class AceStepLyrics {
  private AceStepLyrics() {}

  static String of(String lyrics) {
    String s = lyrics == null ? "" : lyrics.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    return s.isEmpty() || lower.equals("[inst]") || lower.equals("[instrumental]") ? "[Instrumental]" : s;
  }
}
