package dev.refrain.engine.preview;

/**
 * A sound through a two-pole low-pass (Butterworth, 12 dB an octave): what an instrument's body or
 * a speaker cabinet does to a string's highs. Wraps the sound it shapes, step for step.
 */
final class Filtered extends Sound {
  private final Sound inner;
  private final double a1;
  private final double a2;
  private final double a3;
  private double s1;
  private double s2;

  Filtered(Sound inner, int rate, double cutoffHz) {
    this.inner = inner;
    double t = Wave.tune(cutoffHz, rate);
    double k = StrictMath.sqrt(2);
    a1 = 1 / (1 + t * (t + k));
    a2 = t * a1;
    a3 = t * a2;
  }

  @Override
  boolean control() {
    return inner.control();
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    inner.run(a, b, at, from, n);
    double p1 = s1, p2 = s2, c1 = a1, c2 = a2, c3 = a3;
    for (int i = 0; i < n; i++) {
      double v3 = a[at + i] - p2;
      double v1 = c1 * p1 + c2 * v3;
      double v2 = p2 + c2 * p1 + c3 * v3;
      p1 = 2 * v1 - p1;
      p2 = 2 * v2 - p2;
      a[at + i] = (float) v2;
    }
    s1 = p1;
    s2 = p2;
  }
}
