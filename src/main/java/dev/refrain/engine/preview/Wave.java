package dev.refrain.engine.preview;

/**
 * Oscillator shapes over a phase in cycles, [0, 1), and the small numeric helpers every sound
 * shares. The sine is a table built with StrictMath, so every JVM renders the same bits; it is
 * also far cheaper than a sine call per sample. Noise is a 64-bit LCG kept by the caller in a local.
 */
final class Wave {
  private static final int SIZE = 4096;
  private static final float[] SINE = new float[SIZE + 1];
  /** 2^(i/OCTAVE) over one octave, and tan(π·i/TAN) up to just under Nyquist: control-rate pitch and filter maths. */
  private static final int OCTAVE = 1024;
  private static final double[] EXP2 = new double[OCTAVE + 1];
  private static final int TAN = 4096;
  private static final double[] TANGENT = new double[TAN / 2];

  static {
    for (int i = 0; i <= SIZE; i++) SINE[i] = (float) StrictMath.sin(2 * StrictMath.PI * i / SIZE);
    for (int i = 0; i <= OCTAVE; i++) EXP2[i] = StrictMath.pow(2, i / (double) OCTAVE);
    for (int i = 0; i < TAN / 2; i++) TANGENT[i] = StrictMath.tan(StrictMath.PI * i / TAN);
  }

  private Wave() {}

  static double sine(double phase) {
    double x = phase * SIZE;
    int i = (int) x;
    double f = x - i;
    return SINE[i] + f * (SINE[i + 1] - SINE[i]);
  }

  /** A sine of any phase, wrapped into [0, 1) first: for phase modulation, where it swings past both ends. */
  static double sineAt(double phase) {
    double p = phase - (int) phase;
    if (p < 0) p += 1;
    return sine(p < 1 ? p : 0); // a tiny negative fraction plus one rounds to exactly one
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

  /** A band-limited pulse of duty {@code width}: the difference of two saws, which also has no DC. */
  static double pulse(double phase, double inc, double width) {
    double other = phase + width;
    return saw(phase, inc) - saw(other >= 1 ? other - 1 : other, inc);
  }

  /**
   * Soft saturation: unity gain for small signals, bending smoothly (a cubic) to a ceiling of
   * 2/(3·drive) for large ones. No division, so it is cheap per sample; drive 0 leaves x alone.
   */
  static double saturate(double x, double drive) {
    if (drive <= 0) return x;
    double u = Math.max(-1, Math.min(1, x * drive));
    return (u - u * u * u / 3) / drive;
  }

  /** Frequency in Hz of a MIDI note number. */
  static double hz(int key) {
    return 440 * StrictMath.pow(2, (key - 69) / 12.0);
  }

  /** Per-sample multiplier for an exponential decay with time constant {@code seconds}. */
  static double decay(double seconds, int rate) {
    return StrictMath.exp(-1 / Math.max(1, seconds * rate));
  }

  /** Multiplier per {@code samples} that falls 60 dB in {@code seconds}. */
  static double fall(double seconds, int rate, int samples) {
    return StrictMath.pow(10, -3.0 * samples / Math.max(1, seconds * rate));
  }

  /** 2^x from a table, within a millionth: cheap enough to move pitch and cutoff every control step. */
  static double exp2(double x) {
    double whole = StrictMath.floor(x);
    double y = (x - whole) * OCTAVE;
    int i = Math.min((int) y, OCTAVE - 1); // x just under a whole number can round y up to OCTAVE
    return Math.scalb(EXP2[i] + (y - i) * (EXP2[i + 1] - EXP2[i]), (int) whole);
  }

  /** Ratio of a pitch interval in cents. */
  static double cents(double cents) {
    return exp2(cents / 1200);
  }

  /** The state-variable filter's prewarped gain, tan(π·hz/rate), for a cutoff kept under Nyquist so it stays stable. */
  static double tune(double hz, int rate) {
    double y = Math.min(Math.max(hz, 10), 0.45 * rate) / rate * TAN;
    int i = (int) y;
    return TANGENT[i] + (y - i) * (TANGENT[i + 1] - TANGENT[i]);
  }

  /** The next state of the noise generator. */
  static long next(long seed) {
    return seed * 6364136223846793005L + 1442695040888963407L;
  }

  /** White noise in [−1, 1) from a generator state: its top 53 bits, which are the well-mixed ones. */
  static double white(long seed) {
    return (seed >> 11) * 0x1.0p-52;
  }
}
