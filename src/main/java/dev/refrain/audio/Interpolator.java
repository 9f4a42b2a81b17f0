package dev.refrain.audio;

/**
 * Polyphase interpolator for true-peak estimation: the values between samples n and n+1 at
 * fractions j/factor. Every phase is sampled from the same continuous kernel (a Kaiser-windowed
 * sinc cut off at the input's Nyquist), so a ×4 estimate visits every point a ×2 one does and is
 * never the laxer of the two; phase 0 is the sample itself.
 */
final class Interpolator {
  /** Taps either side of the interpolated point; taps per phase = 2 × HALF. */
  static final int HALF = 12;
  static final int TAPS = 2 * HALF;
  private static final double BETA = 6.0;

  final int factor;
  /** coef[j - 1][t] weighs x[n - HALF + 1 + t] for the point n + j / factor, j = 1 .. factor - 1. */
  final double[][] coef;
  /** Largest sum of |coef| over the phases: no interpolated value exceeds this times the largest |x| in its window. */
  final double gainBound;

  Interpolator(int factor) {
    this.factor = factor;
    coef = new double[factor - 1][TAPS];
    double bound = 1;
    for (int j = 1; j < factor; j++) {
      double frac = (double) j / factor, sum = 0, abs = 0;
      for (int t = 0; t < TAPS; t++) {
        double d = frac - (t - HALF + 1); // distance from tap to the point, in input samples
        double c = sinc(d) * kaiser(d / HALF);
        coef[j - 1][t] = c;
        sum += c;
      }
      // Unit gain at DC per phase, so a constant signal interpolates to itself.
      for (int t = 0; t < TAPS; t++) abs += Math.abs(coef[j - 1][t] /= sum);
      bound = Math.max(bound, abs);
    }
    gainBound = bound;
  }

  /** The oversampling factor BS.1770-4 Annex 2 asks for at this rate (×4 up to 96 kHz). */
  static int factorFor(int sampleRate) {
    return sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
  }

  /**
   * Largest |value| at the in-between points of interval [n, n+1), x[n] excluded, where
   * x[at .. at + TAPS) holds x[n - HALF + 1 .. n + HALF].
   */
  double peakBetween(float[] x, int at) {
    double peak = 0;
    for (double[] c : coef) {
      double v = 0;
      for (int t = 0; t < TAPS; t++) v += c[t] * x[at + t];
      peak = Math.max(peak, Math.abs(v));
    }
    return peak;
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
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
