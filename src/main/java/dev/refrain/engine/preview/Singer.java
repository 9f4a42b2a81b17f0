package dev.refrain.engine.preview;

/**
 * A sung vowel by source and filter: a glottal sawtooth, tilted darker, plus breath, through four
 * parallel formant resonators (the vowel's three and the fixed singer's formant near 3.3 kHz). The
 * note starts as a breathy aspirate that the voice grows out of, scoops up into pitch, and grows a
 * delayed vibrato over a slow random drift, so held notes never sound machine-steady. Vowels only.
 */
final class Singer extends Sound {
  private static final double VIBRATO_HZ = 5.3;
  private static final double VIBRATO_CENTS = 22;
  private static final double VIBRATO_DELAY = 0.35;
  private static final double SCOOP_CENTS = 70;
  private static final double SCOOP_TIME = 0.045;
  private static final double DRIFT_CENTS = 3;
  private static final double BREATH = 0.05;
  private static final double ASPIRATE = 0.9;
  private static final double ASPIRATE_TIME = 0.09;
  private static final double SINGERS_FORMANT = 3300;
  private static final double[] WEIGHT = {1.0, 0.6, 0.35, 0.25};
  private static final double[] BANDWIDTH = {80, 100, 140, 220};

  private final Adsr env;
  private final double gain;
  private final double inc;
  private final double vibratoInc;
  private final double vibratoRamp;
  private final double scoopFall;
  private final double aspirateFall;
  private final double tone;
  /** Per formant: b0 (b1 = 0, b2 = −b0; RBJ band-pass, 0 dB peak, times its weight), a1, a2. */
  private final double[] b = new double[4];
  private final double[] a1 = new double[4];
  private final double[] a2 = new double[4];
  private final double[] y = new double[8];
  private double x1;
  private double x2;
  private double phase;
  private double vibratoPhase;
  private double vibrato;
  private double scoop = -SCOOP_CENTS;
  private double drift;
  private double bend = 1;
  private double breath = BREATH + ASPIRATE;
  private double dBreath;
  private double low;
  private double g;
  private double dg;
  private long seed;

  Singer(double hz, int rate, Vowel vowel, int gate, double gain, long seed) {
    inc = hz / rate;
    vibratoInc = VIBRATO_HZ * STEP / rate;
    vibratoRamp = VIBRATO_CENTS * STEP / (VIBRATO_DELAY * rate);
    scoopFall = Wave.decay(SCOOP_TIME, rate / STEP);
    aspirateFall = Wave.fall(ASPIRATE_TIME, rate, STEP);
    tone = 1 - StrictMath.exp(-2 * StrictMath.PI * 2500.0 / rate);
    double[] formants = {vowel.f1, vowel.f2, vowel.f3, SINGERS_FORMANT};
    for (int f = 0; f < 4; f++) {
      double hzf = Math.min(formants[f], 0.45 * rate);
      double w = 2 * StrictMath.PI * hzf / rate;
      double alpha = StrictMath.sin(w) * BANDWIDTH[f] / (2 * hzf);
      double a0 = 1 + alpha;
      b[f] = WEIGHT[f] * alpha / a0;
      a1[f] = -2 * StrictMath.cos(w) / a0;
      a2[f] = (1 - alpha) / a0;
    }
    // The breath's onset lasts longer than the attack, so the voice grows out of an aspirate.
    env = new Adsr(rate, 0.07, 0.4, 0.85, 0.12, gate);
    this.gain = gain;
    this.seed = seed;
  }

  @Override
  boolean control() {
    if (env.done()) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    double target = BREATH + (breath - BREATH) * aspirateFall;
    dBreath = (target - breath) / STEP;
    vibrato = Math.min(VIBRATO_CENTS, vibrato + vibratoRamp);
    vibratoPhase += vibratoInc;
    if (vibratoPhase >= 1) vibratoPhase -= 1;
    scoop *= scoopFall;
    seed = Wave.next(seed);
    drift = 0.995 * drift + 0.1 * DRIFT_CENTS * Wave.white(seed);
    bend = Wave.cents(scoop + drift + vibrato * Wave.sine(vibratoPhase));
    return true;
  }

  @Override
  void run(float[] a, float[] bOut, int at, int from, int n) {
    double ph = phase, lo = low, in1 = x1, in2 = x2, br = breath, gg = g, t = tone;
    double dt = inc * bend;
    double ya1 = y[0], ya2 = y[1], yb1 = y[2], yb2 = y[3], yc1 = y[4], yc2 = y[5], yd1 = y[6], yd2 = y[7];
    double ba = b[0], bb = b[1], bc = b[2], bd = b[3];
    double a1a = a1[0], a1b = a1[1], a1c = a1[2], a1d = a1[3];
    double a2a = a2[0], a2b = a2[1], a2c = a2[2], a2d = a2[3];
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = Wave.next(s);
      lo += t * (Wave.saw(ph, dt) - lo);
      double source = (1 - br) * lo + br * Wave.white(s);
      ph += dt;
      if (ph >= 1) ph -= 1;
      double diff = source - in2;
      double ya = ba * diff - a1a * ya1 - a2a * ya2;
      double yb = bb * diff - a1b * yb1 - a2b * yb2;
      double yc = bc * diff - a1c * yc1 - a2c * yc2;
      double yd = bd * diff - a1d * yd1 - a2d * yd2;
      in2 = in1;
      in1 = source;
      ya2 = ya1;
      ya1 = ya;
      yb2 = yb1;
      yb1 = yb;
      yc2 = yc1;
      yc1 = yc;
      yd2 = yd1;
      yd1 = yd;
      a[at + i] = (float) ((ya + yb + yc + yd) * gg);
      gg += dg;
      br += dBreath;
    }
    phase = ph;
    low = lo;
    x1 = in1;
    x2 = in2;
    breath = br;
    g = gg;
    seed = s;
    y[0] = ya1; y[1] = ya2; y[2] = yb1; y[3] = yb2; y[4] = yc1; y[5] = yc2; y[6] = yd1; y[7] = yd2;
  }
}
