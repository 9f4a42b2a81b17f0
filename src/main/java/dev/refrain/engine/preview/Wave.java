package dev.refrain.engine.preview;

/**
 * Oscillator shapes over a phase in cycles, [0, 1). The sine is a table built with StrictMath, so
 * every JVM renders the same bits; it is also far cheaper than Math.sin per sample.
 */
final class Wave {
  private static final int SIZE = 4096;
  private static final float[] SINE = new float[SIZE + 1];

  static {
    for (int i = 0; i <= SIZE; i++) SINE[i] = (float) StrictMath.sin(2 * StrictMath.PI * i / SIZE);
  }

  private Wave() {}

  static double sine(double phase) {
    double x = phase * SIZE;
    int i = (int) x;
    double f = x - i;
    return SINE[i] + f * (SINE[i + 1] - SINE[i]);
  }

  /** A sawtooth with PolyBLEP corners, so it does not alias audibly; inc is the phase step per sample. */
  static double saw(double phase, double inc) {
    double v = 2 * phase - 1;
    if (phase < inc) {
      double t = phase / inc;
      v -= t + t - t * t - 1;
    } else if (phase > 1 - inc) {
      double t = (phase - 1) / inc;
      v -= t * t + t + t + 1;
    }
    return v;
  }

  /** Frequency in Hz of a MIDI note number. */
  static double hz(int key) {
    return 440 * StrictMath.pow(2, (key - 69) / 12.0);
  }

  /** Per-sample multiplier for an exponential decay with time constant {@code seconds}. */
  static double decay(double seconds, int rate) {
    return StrictMath.exp(-1 / Math.max(1, seconds * rate));
  }
}
