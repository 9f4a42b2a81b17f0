package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/** One-time FFmpeg set-up shared by every class that calls into it. */
final class FFmpeg {
  static {
    // Hostile input makes FFmpeg log errors to stderr; we report them as AudioException instead.
    av_log_set_level(AV_LOG_FATAL);
  }

  private FFmpeg() {}

  /** Loads the natives (first run unpacks them into the JavaCPP cache) and quiets the log. */
  static void init() {}
}
