package dev.refrain.engine.preview;

import java.util.Arrays;

/**
 * A synthesised drum hit in two parts. The body: one or two sine modes that sweep down from a
 * higher pitch, as a struck membrane does while its tension relaxes. The shell: white noise and a
 * cluster of inharmonic square waves (the classic drum machine's metal) through one state-variable
 * filter, with its own envelope: a plain decay, a soft attack for shakers, or a few quick bursts
 * for a clap. Every piece of the kit is a {@link Hit} recipe for these two parts.
 */
final class Drum extends Sound {
  private static final double SILENT = 3e-4;
  private static final double[] CYMBAL = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};
  private static final double[] JINGLE = {2 * 205.3, 2 * 304.4, 2 * 369.6, 2 * 522.7, 2 * 540.0, 2 * 800.0};
  private static final double[] BELL = {587.3, 845.0};
  private static final double[] NONE = {};

  /**
   * A recipe.
   *
   * @param hz the body's settled pitch; 0 for no body
   * @param from how many times higher the body starts, gliding down with time constant {@code glide}
   * @param body level and {@code bodyTime} seconds to fall 60 dB
   * @param ratio the second mode's pitch over the first's, at level {@code second}
   * @param noise level of white noise into the shell, {@code metal} of the square cluster {@code squares}
   * @param filter the shell filter's corner in Hz and its {@code q}; {@code low}, {@code band}, {@code high} mix its outputs
   * @param attack seconds the shell takes to rise; {@code shellTime} to fall 60 dB after
   * @param bursts quick restarts of the shell, {@code spacing} seconds apart, before its tail
   * @param drive soft saturation of the whole hit; 0 for none
   */
  record Hit(double hz, double from, double glide, double body, double bodyTime, double ratio, double second,
      double noise, double metal, double[] squares, double filter, double q, double low, double band, double high,
      double attack, double shellTime, int bursts, double spacing, double drive) {}

  private static final Hit KICK = new Hit(50, 3.2, 0.03, 1, 0.5, 0, 0, 0.5, 0, NONE, 3500, 0.7, 0, 1, 0, 0, 0.02, 0, 0, 0.8);
  private static final Hit SNARE = new Hit(185, 1.15, 0.02, 0.6, 0.16, 1.72, 0.35, 0.7, 0, NONE, 1800, 0.7, 0, 0.3, 1, 0, 0.3, 0, 0, 0.5);
  private static final Hit CLAP = new Hit(0, 1, 1, 0, 1, 0, 0, 1.3, 0, NONE, 1200, 1.4, 0, 1, 0, 0, 0.28, 3, 0.011, 0);
  private static final Hit HAT = new Hit(0, 1, 1, 0, 1, 0, 0, 0.35, 0.6, CYMBAL, 7500, 0.8, 0, 0.4, 1, 0, 0.09, 0, 0, 0);
  private static final Hit PEDAL_HAT = new Hit(0, 1, 1, 0, 1, 0, 0, 0.3, 0.5, CYMBAL, 8000, 0.8, 0, 0.4, 1, 0.003, 0.05, 0, 0, 0);
  private static final Hit OPEN_HAT = new Hit(0, 1, 1, 0, 1, 0, 0, 0.35, 0.6, CYMBAL, 7000, 0.8, 0, 0.4, 1, 0, 0.7, 0, 0, 0);
  private static final Hit CRASH = new Hit(0, 1, 1, 0, 1, 0, 0, 0.6, 0.5, CYMBAL, 4500, 0.6, 0, 0.5, 1, 0, 2.4, 0, 0, 0);
  private static final Hit RIDE = new Hit(2950, 1, 1, 0.12, 0.6, 0, 0, 0.2, 0.8, CYMBAL, 5000, 0.9, 0, 1, 0.5, 0, 1.8, 0, 0, 0);
  private static final Hit TOM_LOW = tom(98, 0.6);
  private static final Hit TOM_MID = tom(135, 0.5);
  private static final Hit TOM_HIGH = tom(180, 0.42);
  private static final Hit RIM = new Hit(820, 1.05, 0.005, 0.7, 0.05, 2.15, 0.5, 0.5, 0, NONE, 2500, 1.2, 0, 1, 0, 0, 0.03, 0, 0, 0);
  private static final Hit TAMBOURINE = new Hit(0, 1, 1, 0, 1, 0, 0, 0.5, 0.6, JINGLE, 9000, 1.0, 0, 1, 0.4, 0.004, 0.25, 0, 0, 0);
  private static final Hit COWBELL = new Hit(0, 1, 1, 0, 1, 0, 0, 0, 0.9, BELL, 1200, 1.5, 0.2, 1, 0, 0, 0.35, 0, 0, 0);
  private static final Hit CONGA_HIGH = conga(330, 0.28);
  private static final Hit CONGA_LOW = conga(220, 0.36);
  /** Wire brushes on the snare: a soft swish of mid-band noise, its attack smeared, with no drum body. */
  private static final Hit BRUSH = new Hit(0, 1, 1, 0, 1, 0, 0, 0.5, 0, NONE, 1800, 0.6, 0.3, 1, 0, 0.012, 0.18, 0, 0, 0);
  private static final Hit SHAKER = new Hit(0, 1, 1, 0, 1, 0, 0, 0.6, 0, NONE, 6500, 0.7, 0, 0.3, 1, 0.02, 0.12, 0, 0, 0);

  private final int rate;
  private final Hit hit;
  private final double gain;
  private final double bodyFall;
  private final double glideFall;
  private final double shellFall;
  private final double burstFall;
  private final double endInc;
  private final double a1;
  private final double a2;
  private final double a3;
  private final double k;
  private final double[] incs;
  private final double[] phases;
  private final double[] shell = new double[STEP];
  private double inc;
  private double dInc;
  private double phase1;
  private double phase2;
  private double body;
  private double dBody;
  private double level;
  private double target;
  private double dLevel;
  private double s1;
  private double s2;
  private int steps;
  private long seed;

  private Drum(Hit hit, int rate, double gain, long seed) {
    this.hit = hit;
    this.rate = rate;
    this.gain = gain;
    this.seed = seed;
    endInc = hit.hz() / rate;
    inc = endInc * hit.from();
    glideFall = Wave.decay(hit.glide(), rate / STEP);
    body = hit.hz() > 0 && hit.hz() * Math.max(1, hit.ratio()) < 0.45 * rate ? hit.body() : 0;
    bodyFall = Wave.fall(hit.bodyTime(), rate, STEP);
    shellFall = Wave.fall(hit.shellTime(), rate, STEP);
    burstFall = Wave.fall(0.02, rate, STEP);
    double t = Wave.tune(hit.filter(), rate);
    k = 1 / hit.q();
    a1 = 1 / (1 + t * (t + k));
    a2 = t * a1;
    a3 = t * a2;
    int n = 0;
    for (double f : hit.squares()) if (f < 0.45 * rate) n++;
    incs = new double[n];
    phases = new double[n];
    for (int i = 0; i < n; i++) {
      incs[i] = hit.squares()[i] / rate;
      this.seed = Wave.next(this.seed);
      phases[i] = (this.seed >>> 11) * 0x1.0p-53;
    }
    level = hit.attack() > 0 ? 0 : 1;
    target = level;
  }

  private static Hit tom(double hz, double seconds) {
    return new Hit(hz, 1.5, 0.05, 1, seconds, 1.5, 0.2, 0.15, 0, NONE, 1000, 0.8, 0, 1, 0, 0, 0.06, 0, 0, 0.3);
  }

  private static Hit conga(double hz, double seconds) {
    return new Hit(hz, 1.08, 0.01, 0.9, seconds, 1.48, 0.15, 0.25, 0, NONE, 2200, 1.0, 0, 1, 0, 0, 0.035, 0, 0, 0);
  }

  /** The hit for a General MIDI drum key; keys outside the kit sound as the nearest kind of piece. */
  static Drum of(int key, int rate, double gain, long seed) {
    Hit hit = switch (key) {
      case Kit.KICK, 35 -> KICK;
      case Kit.RIM, 75, 76, 77 -> RIM;
      case Kit.SNARE, 40 -> SNARE;
      case Kit.CLAP -> CLAP;
      case Kit.HAT -> HAT;
      case Kit.PEDAL_HAT -> PEDAL_HAT;
      case Kit.OPEN_HAT -> OPEN_HAT;
      case Kit.TOM_LOW, 41, 43 -> TOM_LOW;
      case Kit.TOM_MID, 48 -> TOM_MID;
      case Kit.TOM_HIGH -> TOM_HIGH;
      case Kit.CRASH, 52, 55, 57 -> CRASH;
      case Kit.RIDE, 53, 59 -> RIDE;
      case Kit.TAMBOURINE -> TAMBOURINE;
      case Kit.COWBELL -> COWBELL;
      case Kit.CONGA_HIGH, 60, 61, 63 -> CONGA_HIGH;
      case Kit.CONGA_LOW, 65, 66 -> CONGA_LOW;
      case Kit.SHAKER, 69, 82 -> SHAKER;
      case Kit.BRUSH -> BRUSH;
      default -> key < Kit.KICK ? KICK : HAT;
    };
    return new Drum(hit, rate, gain, seed);
  }

  @Override
  boolean control() {
    if (steps > 0 && body < SILENT && level < SILENT && target < SILENT) return false;
    double t = steps * (double) STEP / rate;
    steps++;
    double next = body * bodyFall;
    dBody = (next - body) / STEP;
    double glided = endInc + (inc - endInc) * glideFall;
    dInc = (glided - inc) / STEP;
    // The shell's level at the end of this step: rising, bursting, or decaying.
    double end;
    if (t < hit.attack()) end = Math.min(1, (t + STEP / (double) rate) / hit.attack());
    else if (hit.bursts() > 1 && t < hit.bursts() * hit.spacing()) end = (t % hit.spacing()) < STEP / (double) rate ? 1 : target * burstFall;
    else end = target * shellFall;
    target = end;
    dLevel = (end - level) / STEP;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    double[] sh = shell;
    Arrays.fill(sh, 0, n, 0);
    // Cymbals are high-passed noise-like clusters where plain squares' aliasing only adds more noise;
    // a bell tuned low in the spectrum gets band-limited ones.
    boolean clean = hit.filter() < 3000;
    for (int o = 0; o < phases.length; o++) {
      double p = phases[o], d = incs[o];
      for (int i = 0; i < n; i++) {
        sh[i] += clean ? Wave.pulse(p, d, 0.5) : p < 0.5 ? 1 : -1;
        p += d;
        if (p >= 1) p -= 1;
      }
      phases[o] = p;
    }
    double metal = phases.length == 0 ? 0 : hit.metal() / phases.length * 2;
    double noise = hit.noise(), lo = hit.low(), bp = hit.band(), hp = hit.high();
    double c1 = a1, c2 = a2, c3 = a3, kk = k;
    double p1 = s1, p2 = s2, lv = level, dl = dLevel;
    double bd = body, db = dBody, ti = inc, di = dInc, ph1 = phase1, ph2 = phase2;
    double ratio = hit.ratio(), second = hit.second();
    double drive = hit.drive(), gg = gain;
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = Wave.next(s);
      double x = noise * Wave.white(s) + metal * sh[i];
      double v3 = x - p2;
      double v1 = c1 * p1 + c2 * v3;
      double v2 = p2 + c2 * p1 + c3 * v3;
      p1 = 2 * v1 - p1;
      p2 = 2 * v2 - p2;
      double y = lv * (lo * v2 + bp * v1 + hp * (x - kk * v1 - v2));
      if (bd > 0) {
        y += bd * (second > 0 ? Wave.sine(ph1) + second * Wave.sine(ph2) : Wave.sine(ph1));
        ph1 += ti;
        if (ph1 >= 1) ph1 -= 1;
        ph2 += ti * ratio;
        if (ph2 >= 1) ph2 -= 1;
      }
      y = Wave.saturate(y, drive);
      a[at + i] = (float) (y * gg);
      lv += dl;
      bd += db;
      ti += di;
    }
    s1 = p1;
    s2 = p2;
    level = lv;
    body = bd;
    inc = ti;
    phase1 = ph1;
    phase2 = ph2;
    seed = s;
  }
}
