package dev.refrain.engine.preview;

/**
 * A plucked string by Karplus–Strong: a burst of noise circulating in a delay line through a loss
 * filter that dulls it a little each trip. The burst is combed at the pick position (a pluck a fifth
 * of the way along the string cannot excite the modes with a node there), the loss filter's blend
 * sets how fast the highs die, and a first-order all-pass makes up the fraction of a sample the
 * integer line cannot, so the string is in tune at any rate. A low string goes round its loop so
 * seldom that the loss filter alone would leave its highs buzzing for seconds over a round note, so
 * both the pick's noise and the loop are dulled in step with the pitch.
 */
final class Pluck extends Sound {
  /** A guitar's: a fifth of the way along the string. */
  static final double GUITAR_PICK = 0.2;
  private static final double SILENT = 3e-4;
  /**
   * Partials of the note the pick's noise keeps at brightness ½ (a 12 dB an octave low-pass there):
   * fewer when darker, all when fully bright, as a slap or a clavinet's hammer strikes.
   */
  private static final double PARTIALS = 64;
  /**
   * A string below this pitch gets a one-pole low-pass in its loop besides the loss filter, so that
   * at {@link #DULL_HZ} its highs die as many decibels a second as this string's do, less so the
   * brighter it is (none at full brightness).
   */
  private static final double REFERENCE_HZ = 196;
  private static final double DULL_HZ = 2000;

  private final float[] line;
  private final double loss;
  private final double blend;
  private final double allpass;
  /** The loop low-pass's pole: 0 (none) from {@link #REFERENCE_HZ} up. */
  private final double pole;
  private final Adsr env;
  private final double gain;
  private final double ringFall;
  private double ring = 1;
  private double prev;
  private double dull;
  private double apIn;
  private double apOut;
  private double g;
  private double dg;
  private int pos;

  /**
   * @param brightness in (0, 1]: how much of the pick's noise survives the initial low-pass, how slowly the highs fade,
   *     and how little a low string is dulled
   * @param pick where along the string it is plucked, as a share of its length: near the end (a banjo's, a sitar's) is
   *     bright and nasal, the middle (a harp's) round and hollow
   * @param sustain how long the string rings, as a multiple of a guitar string's
   */
  Pluck(double hz, int rate, int gate, double brightness, double gain, long seed, double pick, double sustain) {
    double pitch = Math.min(hz, 0.2 * rate);
    double period = rate / pitch;
    blend = 0.5 - 0.25 * brightness;
    pole = pole(hz, rate, blend, brightness);
    // The loss filter (1 − blend) + blend·z⁻¹ delays by blend samples, the low-pass by its phase delay
    // at the note, the all-pass by the rest.
    double w = 2 * Math.PI * pitch / rate;
    double delay = blend + StrictMath.atan2(pole * StrictMath.sin(w), 1 - pole * StrictMath.cos(w)) / w;
    int length = Math.max(2, (int) (period - delay - 0.1));
    double fraction = period - delay - length;
    allpass = (1 - fraction) / (1 + fraction);
    double t60 = sustain * Math.max(0.8, Math.min(6, 4 * StrictMath.sqrt(110 / hz)));
    loss = StrictMath.pow(10, -3 * period / (t60 * rate));
    ringFall = Wave.fall(t60, rate, STEP);
    line = new float[length];
    double[] burst = new double[length];
    double low = 0, lower = 0;
    double cutoff = PARTIALS * hz * brightness / (1 - brightness);
    double smooth = cutoff >= 0.3 * rate ? 1 : 1 - StrictMath.exp(-2 * Math.PI * cutoff / rate);
    for (int i = 0; i < length; i++) {
      seed = Wave.next(seed);
      low += smooth * (Wave.white(seed) - low);
      lower += smooth * (low - lower);
      burst[i] = lower;
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

  /**
   * The loop low-pass's pole for a string at {@code hz}: per trip, the loss filter keeps G₂ of the
   * power at {@link #DULL_HZ}, so over a second hz·log G₂; the low-pass adds (1 − brightness) of what
   * makes that {@link #REFERENCE_HZ}·log G₂, a power gain G = G₂^((reference/hz − 1)(1 − brightness)),
   * and a one-pole with |H|² = G there has its pole at the smaller root of
   * (1 − G)r² − 2(1 − G·cos ω)r + (1 − G).
   */
  private static double pole(double hz, int rate, double blend, double brightness) {
    if (hz >= REFERENCE_HZ) return 0;
    double w = 2 * Math.PI * Math.min(DULL_HZ, 0.4 * rate) / rate;
    double sin = StrictMath.sin(w / 2);
    double perTrip = 1 - 4 * blend * (1 - blend) * sin * sin;
    double g = StrictMath.pow(perTrip, (REFERENCE_HZ / hz - 1) * (1 - brightness));
    if (g >= 1) return 0; // a pitch a hair under the reference
    double b = 1 - g * StrictMath.cos(w), c = 1 - g;
    return (b - StrictMath.sqrt(b * b - c * c)) / c;
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
    double pv = prev, lp = dull, x1 = apIn, y1 = apOut, gg = g;
    double keep = loss * (1 - blend), mix = loss * blend, c = allpass, r = pole;
    for (int i = 0; i < n; i++) {
      double out = d[p];
      double damped = keep * out + mix * pv;
      pv = out;
      lp = damped + r * (lp - damped);
      double y = c * lp + x1 - c * y1;
      x1 = lp;
      y1 = y;
      d[p] = (float) y;
      if (++p == d.length) p = 0;
      a[at + i] = (float) (out * gg);
      gg += dg;
    }
    pos = p;
    prev = pv;
    dull = lp;
    apIn = x1;
    apOut = y1;
    g = gg;
  }
}
