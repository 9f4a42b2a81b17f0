package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A sung vowel: a glottal sawtooth that scoops up into pitch and grows a vibrato, with a little
 * breath, shaped by three formant resonators. Enough to read as a voice, not to say words.
 */
final class Singer implements Sound {
  private static final double VIBRATO_HZ = 5.5;
  private static final double VIBRATO_DEPTH = 0.012;
  private static final double SCOOP = 0.03;
  private static final double BREATH = 0.08;
  private static final double[] WEIGHT = {1.0, 0.7, 0.35};
  private static final double[] BANDWIDTH = {80, 100, 140};

  private final double inc;
  private final double vibratoInc;
  private final double vibratoRamp;
  private final double scoopDecay;
  private final double tone;
  /** Per formant: b0 (b2 = −b0, b1 = 0), a1, a2, all over a0 (RBJ band-pass with 0 dB peak), times its weight on b0. */
  private final double[] b = new double[3];
  private final double[] a1 = new double[3];
  private final double[] a2 = new double[3];
  /** Filter memory, per formant: x[n-1], x[n-2] are shared; y[n-1], y[n-2] each. */
  private final double[] y = new double[6];
  private final Envelope env;
  private final double gain;
  private final SplittableRandom breath;
  private double x1;
  private double x2;
  private double phase;
  private double vibratoPhase;
  private double scoop = SCOOP;
  private double low;
  private int n;

  Singer(double hz, int rate, Vowel vowel, int gate, double gain, SplittableRandom rng) {
    inc = hz / rate;
    vibratoInc = VIBRATO_HZ / rate;
    vibratoRamp = 1.0 / (0.25 * rate);
    scoopDecay = Wave.decay(0.04, rate);
    tone = 1 - StrictMath.exp(-2 * StrictMath.PI * 3000.0 / rate);
    double[] formants = {vowel.f1, vowel.f2, vowel.f3};
    for (int f = 0; f < 3; f++) {
      double w = 2 * StrictMath.PI * Math.min(formants[f], 0.45 * rate) / rate;
      double alpha = StrictMath.sin(w) * BANDWIDTH[f] / (2 * formants[f]);
      double a0 = 1 + alpha;
      b[f] = WEIGHT[f] * alpha / a0;
      a1[f] = -2 * StrictMath.cos(w) / a0;
      a2[f] = (1 - alpha) / a0;
    }
    env = new Envelope(rate, 0.04, 0.3, 0.8, 0.09, gate);
    this.gain = gain;
    breath = rng.split();
  }

  @Override
  public boolean render(float[] out, int offset, int count) {
    double ph = phase, vph = vibratoPhase, sc = scoop, lo = low, in1 = x1, in2 = x2;
    double ya1 = y[0], ya2 = y[1], yb1 = y[2], yb2 = y[3], yc1 = y[4], yc2 = y[5];
    double ba = b[0], bb = b[1], bc = b[2];
    double a1a = a1[0], a1b = a1[1], a1c = a1[2], a2a = a2[0], a2b = a2[1], a2c = a2[2];
    int k = n;
    boolean alive = true;
    for (int i = 0; i < count && alive; ) {
      int end = Math.min(count, i + Envelope.STEP);
      double g = env.level() * gain;
      double dg = (env.advance(end - i) * gain - g) / (end - i);
      for (; i < end; i++, k++) {
        double vibrato = Wave.sine(vph) * VIBRATO_DEPTH * Math.min(1, k * vibratoRamp);
        vph += vibratoInc;
        if (vph >= 1) vph -= 1;
        double dt = inc * (1 + vibrato - sc);
        sc *= scoopDecay;
        double source = Wave.saw(ph, dt) + BREATH * (breath.nextDouble() * 2 - 1);
        ph += dt;
        if (ph >= 1) ph -= 1;
        lo += tone * (source - lo);
        double diff = lo - in2;
        double ya = ba * diff - a1a * ya1 - a2a * ya2;
        double yb = bb * diff - a1b * yb1 - a2b * yb2;
        double yc = bc * diff - a1c * yc1 - a2c * yc2;
        in2 = in1;
        in1 = lo;
        ya2 = ya1;
        ya1 = ya;
        yb2 = yb1;
        yb1 = yb;
        yc2 = yc1;
        yc1 = yc;
        out[offset + i] = (float) ((ya + yb + yc) * g);
        g += dg;
      }
      if (env.done()) {
        Arrays.fill(out, offset + i, offset + count, 0f);
        alive = false;
      }
    }
    phase = ph;
    vibratoPhase = vph;
    scoop = sc;
    low = lo;
    x1 = in1;
    x2 = in2;
    y[0] = ya1; y[1] = ya2; y[2] = yb1; y[3] = yb2; y[4] = yc1; y[5] = yc2;
    n = k;
    return alive;
  }
}
