package dev.refrain.engine.preview;

import dev.refrain.audio.AudioClip;

/**
 * The source's loudness over time, pressed onto new material so that audio2audio and edit keep the
 * source's dynamics (quiet intro, loud chorus, fade-out) while the music itself is new.
 */
final class SourceContour {
  /** Gain where the source is silent; the square root below softens the contrast elsewhere. */
  private static final double FLOOR = 0.15;

  private SourceContour() {}

  /** Multiplies each channel of {@code out} (the source's length) by the contour. */
  static void impose(AudioClip source, float[]... out) {
    int hop = Math.max(1, source.sampleRate() / 20);
    int frames = source.frames();
    int blocks = (frames + hop - 1) / hop;
    double[] gain = new double[blocks];
    double loudest = 0;
    for (int b = 0; b < blocks; b++) {
      double sum = 0;
      int end = Math.min(frames, (b + 1) * hop);
      for (float[] c : source.channels()) {
        for (int i = b * hop; i < end; i++) sum += (double) c[i] * c[i];
      }
      gain[b] = Math.sqrt(sum / ((end - b * hop) * source.channelCount()));
      loudest = Math.max(loudest, gain[b]);
    }
    if (loudest == 0) return;
    for (int b = 0; b < blocks; b++) gain[b] = FLOOR + (1 - FLOOR) * Math.sqrt(gain[b] / loudest);
    // Interpolate between block centres so the contour never steps audibly.
    for (int i = 0; i < frames; i++) {
      double x = Math.max(0, (i + 0.5) / hop - 0.5);
      int b = Math.min((int) x, blocks - 1);
      int b2 = Math.min(b + 1, blocks - 1);
      double f = x - (int) x;
      float g = (float) (gain[b] + f * (gain[b2] - gain[b]));
      for (float[] c : out) c[i] *= g;
    }
  }
}
