package dev.refrain.engine.preview;

import java.util.Arrays;

/**
 * A struck string by modal synthesis: up to twelve slightly stretched partials, each a damped
 * rotation (one complex multiply per sample, no table). The hammer sets their levels: it strikes an
 * eighth of the way along the string, which silences every eighth partial, and a harder blow
 * excites the upper ones more. Higher partials and higher notes die faster; a short thump of
 * filtered noise is the hammer itself. Partials are run four at a time, written out so they stay in
 * registers, and a group is dropped once it has died away.
 */
final class Piano extends Sound {
  private static final int MAX_PARTIALS = 12;
  private static final double STRIKE = 1 / 8.0;
  /** −80 dB below the note's start: a group this quiet is inaudible under its own fundamental. */
  private static final double GONE = 1e-8;

  private final double[] cos = new double[MAX_PARTIALS];
  private final double[] sin = new double[MAX_PARTIALS];
  private final double[] re = new double[MAX_PARTIALS];
  private final double[] im = new double[MAX_PARTIALS];
  private final double[] sum = new double[STEP];
  private final Adsr env;
  private final double gain;
  private final double thumpFall;
  private final double thumpSmooth;
  private int groups;
  private double thump;
  private boolean thumping;
  private double dThump;
  private double low;
  private double g;
  private double dg;
  private long seed;

  Piano(double hz, int rate, int gate, double velocity, double gain, long seed) {
    // Short treble strings are stiffer, so more inharmonic; long bass strings ring longer.
    double inharmonicity = 0.00005 * StrictMath.pow(2, Math.max(hz, 100) / 880);
    double ring = Math.max(1.2, Math.min(14, 9 * StrictMath.sqrt(110 / hz)));
    int partials = 0;
    for (int k = 1; k <= MAX_PARTIALS; k++) {
      double f = k * hz * StrictMath.sqrt((1 + inharmonicity * k * k) / (1 + inharmonicity));
      if (f > 0.45 * rate) break;
      double t60 = ring / (1 + 0.09 * (k - 1) * (k - 1));
      double r = Wave.fall(t60, rate, 1);
      double w = 2 * StrictMath.PI * f / rate;
      double strike = StrictMath.abs(StrictMath.sin(StrictMath.PI * k * STRIKE)) + 0.02;
      double level = strike / k * StrictMath.exp(-(k - 1) * (0.55 - 0.45 * velocity));
      re[k - 1] = level;
      cos[k - 1] = r * StrictMath.cos(w);
      sin[k - 1] = r * StrictMath.sin(w);
      partials = k;
    }
    groups = (partials + 3) / 4;
    env = new Adsr(rate, 0.001, 60, 1, 0.25, gate);
    this.gain = gain;
    thump = 0.25 * velocity;
    thumpFall = Wave.fall(0.04, rate, STEP);
    thumpSmooth = 1 - StrictMath.exp(-2 * StrictMath.PI * (600 + 3000 * velocity) / rate);
    this.seed = seed;
  }

  @Override
  boolean control() {
    if (env.done() || groups == 0) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    // Decided per step, never mid-run, so a block boundary inside the step changes nothing.
    thumping = thump > 1e-5;
    dThump = (thump * thumpFall - thump) / STEP;
    // Upper groups die first; drop the top one once all its partials are below hearing.
    int top = 4 * (groups - 1);
    double energy = 0;
    for (int k = top; k < top + 4; k++) energy += re[k] * re[k] + im[k] * im[k];
    if (energy < GONE) groups--;
    return groups > 0;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    double[] acc = sum;
    if (thumping) {
      double tk = thump, lo = low, sm = thumpSmooth;
      long s = seed;
      for (int i = 0; i < n; i++) {
        s = Wave.next(s);
        lo += sm * (Wave.white(s) - lo);
        acc[i] = tk * lo;
        tk += dThump;
      }
      thump = tk;
      low = lo;
      seed = s;
    } else {
      Arrays.fill(acc, 0, n, 0);
    }
    for (int grp = 0; grp < groups; grp++) {
      int q = 4 * grp;
      double c0 = cos[q], c1 = cos[q + 1], c2 = cos[q + 2], c3 = cos[q + 3];
      double s0 = sin[q], s1 = sin[q + 1], s2 = sin[q + 2], s3 = sin[q + 3];
      double r0 = re[q], r1 = re[q + 1], r2 = re[q + 2], r3 = re[q + 3];
      double i0 = im[q], i1 = im[q + 1], i2 = im[q + 2], i3 = im[q + 3];
      for (int i = 0; i < n; i++) {
        double t0 = r0 * c0 - i0 * s0;
        i0 = r0 * s0 + i0 * c0;
        r0 = t0;
        double t1 = r1 * c1 - i1 * s1;
        i1 = r1 * s1 + i1 * c1;
        r1 = t1;
        double t2 = r2 * c2 - i2 * s2;
        i2 = r2 * s2 + i2 * c2;
        r2 = t2;
        double t3 = r3 * c3 - i3 * s3;
        i3 = r3 * s3 + i3 * c3;
        r3 = t3;
        acc[i] += i0 + i1 + i2 + i3;
      }
      re[q] = r0; re[q + 1] = r1; re[q + 2] = r2; re[q + 3] = r3;
      im[q] = i0; im[q + 1] = i1; im[q + 2] = i2; im[q + 3] = i3;
    }
    double gg = g;
    for (int i = 0; i < n; i++) {
      a[at + i] = (float) (acc[i] * gg);
      gg += dg;
    }
    g = gg;
  }
}
