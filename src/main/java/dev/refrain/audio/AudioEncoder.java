package dev.refrain.audio;

import dev.refrain.core.OutputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Encodes audio to the output formats tasks ask for. Thread-safe. */
public final class AudioEncoder {
  private AudioEncoder() {}

  /** How LAME encodes an MP3 at a bitrate: for benchmarks to report and to match with another encoder. */
  public record Mp3Settings(int quality, boolean jointStereo) {
    public Mp3Settings {
      if (quality < 0 || quality > 9) throw new IllegalArgumentException("LAME quality must be 0..9: " + quality);
    }
  }

  /** quality: LAME's algorithm quality (-q, 0 best to 9 fastest); jointStereo: stereo coded as mid and side. */
  public static Mp3Settings mp3Settings(int kbps) {
    return new Mp3Settings(Mp3Encoder.QUALITY, Mp3Encoder.jointStereo(kbps));
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
        case MP3 -> Mp3Encoder.encode(pcm, mp3BitrateKbps, mp3Settings(mp3BitrateKbps), target);
        case WAV -> WavEncoder.encode(pcm, target);
        case FLAC -> FlacEncoder.encode(pcm, target);
      };
    }
  }

  /**
   * An MP3 with other LAME settings than the server's, for benchmarks that weigh one against the
   * other; otherwise as {@link #encode(PcmStream, OutputFormat, int, Path)}.
   */
  public static long encodeMp3(PcmStream pcm, int kbps, Mp3Settings settings, Path target) throws IOException {
    try (pcm) {
      return Mp3Encoder.encode(pcm, kbps, settings, target);
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
