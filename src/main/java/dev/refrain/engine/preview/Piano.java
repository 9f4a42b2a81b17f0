package dev.refrain.engine.preview;

import java.util.Arrays;

/**
 * A struck string: four slightly sharp partials, each a damped rotation (one complex multiply per
 * sample, no table), the higher ones dying faster, as on a piano. The four are written out by hand
 * so they stay in registers and run side by side.
 */
final class Piano implements Sound {
  private static final double INHARMONICITY = 0.0003;

  private final double[] cos = new double[4];
  private final double[] sin = new double[4];
  private final double[] re = new double[4];
  private final double[] im = new double[4];
  private final Envelope env;
  private final double gain;

  Piano(double hz, int rate, int gate, double gain) {
    double sustain = Math.max(0.6, Math.min(4, 3 * StrictMath.sqrt(130 / hz)));
    for (int k = 0; k < 4; k++) {
      double partial = (k + 1) * hz * StrictMath.sqrt(1 + INHARMONICITY * (k + 1) * (k + 1));
      double r = Wave.decay(sustain / (k + 1), rate);
      double w = 2 * StrictMath.PI * partial / rate;
      re[k] = partial < 0.45 * rate ? 1 / StrictMath.pow(k + 1, 1.4) : 0;
      cos[k] = r * StrictMath.cos(w);
      sin[k] = r * StrictMath.sin(w);
    }
    env = new Envelope(rate, 0.002, 1, 1, 0.12, gate);
    this.gain = gain;
  }

  @Override
  public boolean render(float[] out, int offset, int count) {
    double c0 = cos[0], c1 = cos[1], c2 = cos[2], c3 = cos[3];
    double s0 = sin[0], s1 = sin[1], s2 = sin[2], s3 = sin[3];
    double r0 = re[0], r1 = re[1], r2 = re[2], r3 = re[3];
    double i0 = im[0], i1 = im[1], i2 = im[2], i3 = im[3];
    boolean alive = true;
    for (int i = 0; i < count && alive; ) {
      int end = Math.min(count, i + Envelope.STEP);
      double g = env.level() * gain;
      double dg = (env.advance(end - i) * gain - g) / (end - i);
      for (; i < end; i++) {
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
        out[offset + i] = (float) ((i0 + i1 + i2 + i3) * g);
        g += dg;
      }
      if (env.done()) {
        Arrays.fill(out, offset + i, offset + count, 0f);
        alive = false;
      }
    }
    re[0] = r0; re[1] = r1; re[2] = r2; re[3] = r3;
    im[0] = i0; im[1] = i1; im[2] = i2; im[3] = i3;
    return alive;
  }
}
