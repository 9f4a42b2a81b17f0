package dev.refrain.engine.preview;

/**
 * A singer's breath before a line: noise through a soft band around 1.5 kHz (the open throat's
 * resonance), swelling and fading over the note. Quiet, but it tells the ear where a phrase begins.
 */
final class Breath extends Sound {
  private static final double CENTRE = 1500;
  private static final double WIDTH = 1800;

  private final int gate;
  private final double gain;
  private final double b0;
  private final double a1;
  private final double a2;
  private double x1;
  private double x2;
  private double y1;
  private double y2;
  private double g;
  private double dg;
  private int frame;
  private long seed;

  Breath(int rate, int gate, double gain, long seed) {
    this.gate = Math.max(STEP, gate);
    this.gain = gain * StrictMath.sqrt(rate / 44_100.0);
    double hz = Math.min(CENTRE, 0.4 * rate);
    double w = 2 * StrictMath.PI * hz / rate;
    double alpha = StrictMath.sin(w) * WIDTH / (2 * hz);
    double a0 = 1 + alpha;
    b0 = alpha / a0;
    a1 = -2 * StrictMath.cos(w) / a0;
    a2 = (1 - alpha) / a0;
    this.seed = seed;
  }

  @Override
  boolean control() {
    if (frame >= gate) return false;
    // A sine arch: in, then out of the breath, over the gate.
    g = gain * Wave.sine(0.5 * frame / gate);
    dg = (gain * Wave.sine(0.5 * Math.min(gate, frame + STEP) / gate) - g) / STEP;
    frame += STEP;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    double gg = g, p1 = x1, p2 = x2, q1 = y1, q2 = y2;
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = Wave.next(s);
      double x = Wave.white(s);
      double y = b0 * (x - p2) - a1 * q1 - a2 * q2;
      p2 = p1;
      p1 = x;
      q2 = q1;
      q1 = y;
      a[at + i] = (float) (y * gg);
      gg += dg;
    }
    g = gg;
    x1 = p1;
    x2 = p2;
    y1 = q1;
    y2 = q2;
    seed = s;
  }
}
