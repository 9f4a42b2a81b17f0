package dev.refrain.engine.preview;

/**
 * Two-operator phase modulation with a second, high modulator for a bright strike: the electric
 * piano's tine (ratio 1:1 plus a fleeting 14:1 ping) and the bell or mallet (an inharmonic ratio).
 * The modulation index falls as the note decays, so the tone darkens the way struck metal does.
 * An optional tremolo pans the two channels against each other, like a suitcase piano's.
 */
final class Fm extends Sound {
  /**
   * A preset.
   *
   * @param ratio modulator frequency over the carrier's
   * @param index modulation depth at full velocity, in cycles of the carrier's phase
   * @param floor the share of the index left once its envelope has fallen
   * @param indexTime seconds the index takes to fall 60 dB towards its floor
   * @param ping depth of the 14:1 strike modulator, which dies in {@code pingTime} seconds
   * @param decay seconds the note takes to fall 60 dB while held
   * @param tremolo depth of the stereo tremolo at {@code tremoloHz}; 0 for a mono sound
   */
  record Patch(double ratio, double index, double floor, double indexTime, double ping, double pingTime,
      double decay, double release, double tremoloHz, double tremolo) {}

  private static final double PING_RATIO = 14;

  private final Patch patch;
  private final Adsr env;
  private final double gain;
  private final double inc;
  private final double modInc;
  private final double pingInc;
  private final double indexFall;
  private final double pingFall;
  private final double tremoloInc;
  private final double base;
  private double carrier;
  private double modulator;
  private double pinger;
  private double index;
  private double dIndex;
  private double pingDepth;
  private double dPing;
  private double excess;
  private double tremoloPhase;
  private double g;
  private double dg;
  private double pan;
  private double dPan;

  Fm(Patch patch, double hz, int rate, int gate, double velocity, double gain, double tremoloPhase) {
    this.patch = patch;
    this.env = new Adsr(rate, 0.002, patch.decay(), 0, patch.release(), gate);
    this.gain = gain;
    inc = hz / rate;
    // A modulator above Nyquist would only alias, so it is left out.
    modInc = hz * patch.ratio() < 0.45 * rate ? hz * patch.ratio() / rate : 0;
    pingInc = hz * PING_RATIO < 0.45 * rate ? hz * PING_RATIO / rate : 0;
    double brightness = 0.3 + 0.7 * velocity;
    base = patch.index() * brightness * patch.floor();
    excess = patch.index() * brightness * (1 - patch.floor());
    index = base + excess;
    pingDepth = pingInc > 0 ? patch.ping() * brightness : 0;
    indexFall = Wave.fall(patch.indexTime(), rate, STEP);
    pingFall = Wave.fall(patch.pingTime(), rate, STEP);
    tremoloInc = patch.tremoloHz() * STEP / rate;
    this.tremoloPhase = tremoloPhase;
  }

  @Override
  boolean wide() {
    return patch.tremolo() > 0;
  }

  @Override
  boolean control() {
    if (env.done()) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    excess *= indexFall;
    dIndex = (base + excess - index) / STEP;
    dPing = (pingDepth * pingFall - pingDepth) / STEP;
    tremoloPhase += tremoloInc;
    if (tremoloPhase >= 1) tremoloPhase -= 1;
    double next = patch.tremolo() * Wave.sine(tremoloPhase);
    dPan = (next - pan) / STEP;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    double pc = carrier, pm = modulator, pp = pinger, ix = index, pd = pingDepth, gg = g, pn = pan;
    double ic = inc, im = modInc, ip = pingInc;
    boolean wide = patch.tremolo() > 0;
    for (int i = 0; i < n; i++) {
      double mod = ix * Wave.sine(pm) + pd * Wave.sine(pp);
      double y = Wave.sineAt(pc + mod) * gg;
      pc += ic;
      if (pc >= 1) pc -= 1;
      pm += im;
      if (pm >= 1) pm -= 1;
      pp += ip;
      if (pp >= 1) pp -= 1;
      ix += dIndex;
      pd += dPing;
      gg += dg;
      if (wide) {
        a[at + i] = (float) (y * (1 + pn));
        b[at + i] = (float) (y * (1 - pn));
        pn += dPan;
      } else {
        a[at + i] = (float) y;
      }
    }
    carrier = pc;
    modulator = pm;
    pinger = pp;
    index = ix;
    pingDepth = pd;
    g = gg;
    pan = pn;
  }
}
