package dev.refrain.audio;

import dev.refrain.core.OutputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Encodes audio to the output formats tasks ask for. Thread-safe. */
public final class AudioEncoder {
  private AudioEncoder() {}

  /** LAME's algorithm quality (-q, 0 best to 9 fastest) that MP3s are encoded at: for benchmarks to report and match. */
  public static int mp3Quality() {
    return Mp3Encoder.QUALITY;
  }

  /**
   * Encodes {@code pcm} into the file {@code target} as it is read, and closes it; returns the
   * file's size. MP3 is CBR at {@code mp3BitrateKbps} (8..320, ignored for other formats) at the
   * lowest MP3 sample rate not below the stream's, at most two channels; WAV and FLAC are 16-bit at
   * the stream's rate.
   */
  public static long encode(PcmStream pcm, OutputFormat format, int mp3BitrateKbps, Path target) throws IOException {
    try (pcm) {
      return switch (format) {
        case MP3 -> Mp3Encoder.encode(pcm, mp3BitrateKbps, target);
        case WAV -> WavEncoder.encode(pcm, target);
        case FLAC -> FlacEncoder.encode(pcm, target);
      };
    }
  }

  /** {@link #encode(PcmStream, OutputFormat, int, Path)} for a clip in memory, to bytes in memory. */
  public static byte[] encode(AudioClip clip, OutputFormat format, int mp3BitrateKbps) {
    try {
      Path tmp = Files.createTempFile("refrain-encode-", "." + format.extension());
      try {
        encode(PcmStream.of(clip), format, mp3BitrateKbps, tmp);
        return Files.readAllBytes(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
