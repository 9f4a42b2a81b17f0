package dev.refrain.engine.preview;

import dev.refrain.audio.AudioClip;

/**
 * The source's loudness over time, pressed onto new material so that audio2audio and edit keep the
 * source's dynamics (quiet intro, loud chorus, fade-out) while the music itself is new. Holds one
 * gain per 50 ms, so it costs little memory for any length.
 */
final class SourceContour {
  /** Gain where the source is silent; the square root below softens the contrast elsewhere. */
  private static final double FLOOR = 0.15;

  private final int hop;
  private final double[] gain;

  private SourceContour(int hop, double[] gain) {
    this.hop = hop;
    this.gain = gain;
  }

  static SourceContour of(AudioClip source) {
    int hop = Math.max(1, source.sampleRate() / 20);
    int frames = source.frames();
    int blocks = Math.max(1, (frames + hop - 1) / hop);
    double[] gain = new double[blocks];
    double loudest = 0;
    for (int b = 0; b < blocks; b++) {
      double sum = 0;
      int end = Math.min(frames, (b + 1) * hop);
      for (float[] c : source.channels()) {
        for (int i = b * hop; i < end; i++) sum += (double) c[i] * c[i];
      }
      gain[b] = end > b * hop ? Math.sqrt(sum / ((end - b * hop) * source.channelCount())) : 0;
      loudest = Math.max(loudest, gain[b]);
    }
    for (int b = 0; b < blocks; b++) gain[b] = loudest == 0 ? 1 : FLOOR + (1 - FLOOR) * Math.sqrt(gain[b] / loudest);
    return new SourceContour(hop, gain);
  }

  /** Multiplies frames [offset, offset + count) of each channel, which sit at frame {@code at} of the piece. */
  void apply(long at, int offset, int count, float[]... channels) {
    int last = gain.length - 1;
    for (int i = 0; i < count; i++) {
      // Interpolate between block centres so the contour never steps audibly.
      double x = Math.max(0, (at + i + 0.5) / hop - 0.5);
      int b = Math.min((int) x, last);
      int b2 = Math.min(b + 1, last);
      double f = x - (int) x;
      float g = (float) (gain[b] + f * (gain[b2] - gain[b]));
      for (float[] c : channels) c[offset + i] *= g;
    }
  }
}
