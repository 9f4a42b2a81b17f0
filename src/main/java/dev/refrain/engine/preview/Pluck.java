package dev.refrain.engine.preview;

/**
 * A plucked string by Karplus–Strong: a burst of noise circulating in a delay line through a loss
 * filter that dulls it a little each trip. The burst is combed at the pick position (a pluck a fifth
 * of the way along the string cannot excite the modes with a node there), the loss filter's blend
 * sets how fast the highs die, and a first-order all-pass makes up the fraction of a sample the
 * integer line cannot, so the string is in tune at any rate.
 */
final class Pluck extends Sound {
  /** A guitar's: a fifth of the way along the string. */
  static final double GUITAR_PICK = 0.2;
  private static final double SILENT = 3e-4;

  private final float[] line;
  private final double loss;
  private final double blend;
  private final double allpass;
  private final Adsr env;
  private final double gain;
  private final double ringFall;
  private double ring = 1;
  private double prev;
  private double apIn;
  private double apOut;
  private double g;
  private double dg;
  private int pos;

  /**
   * @param brightness in (0, 1]: how much of the pick's noise survives the initial low-pass, and how slowly the highs fade
   * @param pick where along the string it is plucked, as a share of its length: near the end (a banjo's, a sitar's) is
   *     bright and nasal, the middle (a harp's) round and hollow
   * @param sustain how long the string rings, as a multiple of a guitar string's
   */
  Pluck(double hz, int rate, int gate, double brightness, double gain, long seed, double pick, double sustain) {
    double period = rate / Math.min(hz, 0.2 * rate);
    // The loss filter (1 − blend) + blend·z⁻¹ delays by blend samples, the all-pass by the rest.
    blend = 0.5 - 0.25 * brightness;
    int length = Math.max(2, (int) (period - blend - 0.1));
    double fraction = period - blend - length;
    allpass = (1 - fraction) / (1 + fraction);
    double t60 = sustain * Math.max(0.8, Math.min(6, 4 * StrictMath.sqrt(110 / hz)));
    loss = StrictMath.pow(10, -3 * period / (t60 * rate));
    ringFall = Wave.fall(t60, rate, STEP);
    line = new float[length];
    double[] burst = new double[length];
    double low = 0;
    double smooth = 0.2 + 0.8 * brightness;
    for (int i = 0; i < length; i++) {
      seed = Wave.next(seed);
      low += smooth * (Wave.white(seed) - low);
      burst[i] = low;
    }
    int at = Math.max(1, (int) Math.round(pick * length));
    double mean = 0;
    for (int i = 0; i < length; i++) {
      double v = burst[i] - (i >= at ? burst[i - at] : 0);
      line[i] = (float) v;
      mean += v;
    }
    mean /= length;
    for (int i = 0; i < length; i++) line[i] -= (float) mean; // no DC thump
    env = new Adsr(rate, 0, 1, 1, 0.08, gate);
    this.gain = gain;
  }

  @Override
  boolean control() {
    if (env.done() || ring < SILENT) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    ring *= ringFall;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    float[] d = line;
    int p = pos;
    double pv = prev, x1 = apIn, y1 = apOut, gg = g;
    double keep = loss * (1 - blend), mix = loss * blend, c = allpass;
    for (int i = 0; i < n; i++) {
      double out = d[p];
      double damped = keep * out + mix * pv;
      pv = out;
      double y = c * damped + x1 - c * y1;
      x1 = damped;
      y1 = y;
      d[p] = (float) y;
      if (++p == d.length) p = 0;
      a[at + i] = (float) (out * gg);
      gg += dg;
    }
    pos = p;
    prev = pv;
    apIn = x1;
    apOut = y1;
    g = gg;
  }
}
