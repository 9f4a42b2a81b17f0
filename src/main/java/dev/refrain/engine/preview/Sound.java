package dev.refrain.engine.preview;

import java.util.Arrays;

/**
 * One sounding note, rendered in order one block after another. Its parameters move at control
 * rate: at the start of every {@link #STEP} samples of the note's own clock, {@link #control()}
 * sets up that step (gain ramps, pitch, filter coefficients) and {@link #run} renders its samples.
 * Steps count from the note's start, not from the caller's block, and every sample's arithmetic
 * carries over in fields, so the output does not depend on how the work is cut into blocks.
 */
abstract class Sound {
  /** Samples per control step: 1.5 ms at 44.1 kHz, fine enough for envelopes, vibrato and filter sweeps. */
  static final int STEP = 64;

  private int left;
  private boolean alive = true;

  /**
   * Writes the next {@code count} samples into {@code a} (and, for a {@link #wide()} sound, a second
   * channel into {@code b}) from {@code offset}; false once it has died away, the rest zero-filled.
   */
  final boolean render(float[] a, float[] b, int offset, int count) {
    int i = 0;
    while (i < count) {
      if (left == 0) {
        if (alive) alive = control();
        if (!alive) {
          Arrays.fill(a, offset + i, offset + count, 0f);
          if (wide()) Arrays.fill(b, offset + i, offset + count, 0f);
          return false;
        }
        left = STEP;
      }
      int n = Math.min(count - i, left);
      run(a, b, offset + i, STEP - left, n);
      i += n;
      left -= n;
    }
    return true;
  }

  /** Whether {@code b} carries a second, decorrelated channel that the mixer spreads across the stereo field. */
  boolean wide() {
    return false;
  }

  /** Sets up the next STEP samples; false when the sound has gone silent for good. */
  abstract boolean control();

  /**
   * Renders {@code n} samples of the current step at {@code at}, starting {@code from} samples into
   * the step; a mono sound writes only {@code a}. Values computed from the step's start and
   * {@code from} rather than carried sample to sample have no serial dependency, so they run in
   * parallel, and a step split across two blocks still gives the same bits.
   */
  abstract void run(float[] a, float[] b, int at, int from, int n);
}
