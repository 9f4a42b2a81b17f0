package dev.refrain.audio;

/**
 * Polyphase interpolator for true-peak estimation: the values between samples n and n+1 at
 * fractions j/factor. Every phase is sampled from the same continuous kernel (a Kaiser-windowed
 * sinc cut off at the input's Nyquist), so a ×4 estimate visits every point a ×2 one does and is
 * never the laxer of the two; phase 0 is the sample itself.
 */
final class Interpolator {
  /** Taps either side of the interpolated point; taps per phase = 2 × HALF, a multiple of 8 for {@link #peaks}. */
  static final int HALF = 12;
  static final int TAPS = 2 * HALF;
  private static final double BETA = 6.0;

  final int factor;
  /** coef[j - 1][t] weighs x[n - HALF + 1 + t] for the point n + j / factor, j = 1 .. factor - 1. */
  final float[][] coef;
  /** Largest sum of |coef| over the phases: no interpolated value exceeds this times the largest |x| in its window. */
  final double gainBound;

  Interpolator(int factor) {
    this.factor = factor;
    coef = new float[factor - 1][TAPS];
    double bound = 1;
    for (int j = 1; j < factor; j++) {
      double frac = (double) j / factor, sum = 0, abs = 0;
      double[] c = new double[TAPS];
      for (int t = 0; t < TAPS; t++) {
        double d = frac - (t - HALF + 1); // distance from tap to the point, in input samples
        sum += c[t] = sinc(d) * kaiser(d / HALF);
      }
      // Unit gain at DC per phase, so a constant signal interpolates to itself.
      for (int t = 0; t < TAPS; t++) abs += Math.abs(coef[j - 1][t] = (float) (c[t] / sum));
      bound = Math.max(bound, abs);
    }
    gainBound = bound * 1.001; // headroom for float rounding, so skipping by the bound is exact
  }

  /** The oversampling factor BS.1770-4 Annex 2 asks for at this rate (×4 up to 96 kHz). */
  static int factorFor(int sampleRate) {
    return sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
  }

  /**
   * For each interval w in [0, n): out[w] = the largest |value| at its in-between points, x[n] excluded,
   * where x[from + w .. from + w + TAPS) holds its window x[n - HALF + 1 .. n + HALF]. Loops run
   * across intervals with eight taps fixed so they vectorise and touch acc a third as often as one
   * tap at a time would; each value sums its taps in one fixed order (tap 0 first), so results do not
   * depend on how a stream was cut into calls. acc is scratch of at least n.
   */
  void peaks(float[] x, int from, int n, float[] out, float[] acc) {
    java.util.Arrays.fill(out, 0, n, 0f);
    for (float[] c : coef) {
      java.util.Arrays.fill(acc, 0, n, 0f);
      for (int t = 0; t < TAPS; t += 8) {
        float c0 = c[t], c1 = c[t + 1], c2 = c[t + 2], c3 = c[t + 3], c4 = c[t + 4], c5 = c[t + 5], c6 = c[t + 6], c7 = c[t + 7];
        int base = from + t;
        for (int w = 0; w < n; w++) {
          int i = base + w;
          acc[w] = acc[w] + c0 * x[i] + c1 * x[i + 1] + c2 * x[i + 2] + c3 * x[i + 3] + c4 * x[i + 4] + c5 * x[i + 5] + c6 * x[i + 6] + c7 * x[i + 7];
        }
      }
      for (int w = 0; w < n; w++) out[w] = Math.max(out[w], Math.abs(acc[w]));
    }
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : StrictMath.sin(Math.PI * x) / (Math.PI * x);
  }

  private static double kaiser(double r) {
    return r >= 1 || r <= -1 ? 0 : bessel0(BETA * Math.sqrt(1 - r * r)) / bessel0(BETA);
  }

  private static double bessel0(double x) {
    double sum = 1, term = 1;
    for (int k = 1; k < 40; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
    }
    return sum;
  }
}
