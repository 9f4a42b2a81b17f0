package dev.refrain.audio;

/** Encodes clips to the output formats tasks ask for. Thread-safe. */
public final class AudioEncoder {
  private AudioEncoder() {}

  /**
   * Encodes {@code clip}: MP3 is CBR at {@code mp3BitrateKbps} (8..320, ignored for other formats)
   * at the lowest MP3 sample rate not below the clip's; WAV and FLAC are 16-bit at the clip's rate.
   * MP3 takes at most two channels.
   */
  public static byte[] encode(AudioClip clip, OutputFormat format, int mp3BitrateKbps) {
    return switch (format) {
      case MP3 -> Mp3Encoder.encode(clip, mp3BitrateKbps);
      case WAV -> WavEncoder.encode(clip);
      case FLAC -> FlacEncoder.encode(clip);
    };
  }
}
