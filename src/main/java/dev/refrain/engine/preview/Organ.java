package dev.refrain.engine.preview;

/**
 * A tonewheel organ: nine drawbars added into one cycle of the 16' pitch at the note's start (every
 * drawbar is a whole harmonic of it), played back from that table, with a key click, a decaying
 * third-harmonic percussion and a slow rotary speaker: amplitude and a little Doppler pitch swinging
 * between the two channels. Its rotor phase comes from the clock, so all held notes swing together.
 */
final class Organ extends Sound {
  private static final int SIZE = 2048;
  /** Harmonics of the 16' pitch under each drawbar: 16', 5⅓', 8', 4', 2⅔', 2', 1⅗', 1⅓', 1'. */
  private static final int[] HARMONIC = {1, 3, 2, 4, 6, 8, 10, 12, 16};
  /** A round jazz registration, 68 8634 023, with the 8' on top so the note sounds at its written pitch. */
  private static final int[] DRAWBAR = {6, 8, 8, 6, 3, 4, 0, 2, 3};
  private static final double ROTOR_HZ = 0.8;
  private static final double ROTOR_DEPTH = 0.25;
  private static final double DOPPLER_CENTS = 4;

  private final float[] table = new float[SIZE + 1];
  private final Adsr env;
  private final double gain;
  private final double inc;
  private final double rotorInc;
  private final double percFall;
  private final double clickFall;
  private double phase;
  private double rotor;
  private double bend = 1;
  private double perc;
  private double dPerc;
  private double click;
  private double dClick;
  private double g;
  private double dg;
  private double sway;
  private double dSway;
  private long seed;

  Organ(double hz, int rate, int gate, double gain, double rotorPhase, long seed) {
    double sub = hz / 2;
    double total = 0;
    for (int d = 0; d < HARMONIC.length; d++) {
      // Each drawbar notch is about 3 dB; any drawbar over Nyquist is left out rather than aliased.
      if (DRAWBAR[d] == 0 || sub * HARMONIC[d] > 0.45 * rate) continue;
      double level = StrictMath.pow(10, (DRAWBAR[d] - 8) * 3 / 20.0);
      total += level;
      for (int i = 0; i <= SIZE; i++) table[i] += (float) (level * Wave.sine((long) i * HARMONIC[d] % SIZE / (double) SIZE));
    }
    for (int i = 0; i <= SIZE; i++) table[i] /= (float) total;
    env = new Adsr(rate, 0.006, 1, 1, 0.08, gate);
    this.gain = gain;
    inc = sub / rate;
    rotorInc = ROTOR_HZ * STEP / rate;
    rotor = rotorPhase;
    perc = hz * 3 < 0.45 * rate ? 0.35 : 0;
    percFall = Wave.fall(0.7, rate, STEP);
    click = 0.25;
    clickFall = Wave.fall(0.008, rate, STEP);
    this.seed = seed;
  }

  @Override
  boolean wide() {
    return true;
  }

  @Override
  boolean control() {
    if (env.done()) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    dPerc = (perc * percFall - perc) / STEP;
    dClick = (click * clickFall - click) / STEP;
    rotor += rotorInc;
    if (rotor >= 1) rotor -= 1;
    double s = Wave.sine(rotor);
    bend = Wave.cents(DOPPLER_CENTS * s);
    dSway = (ROTOR_DEPTH * s - sway) / STEP;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    float[] t = table;
    double p = phase, d = inc * bend, gg = g, pc = perc, ck = click, sw = sway;
    long s = seed;
    for (int i = 0; i < n; i++) {
      double x = p * SIZE;
      int j = (int) x;
      double y = t[j] + (x - j) * (t[j + 1] - t[j]);
      // The percussion is the 16' table's sixth harmonic: the 8' pitch's third.
      y += pc * Wave.sineAt(6 * p);
      s = Wave.next(s);
      y = (y + ck * Wave.white(s)) * gg;
      a[at + i] = (float) (y * (1 + sw));
      b[at + i] = (float) (y * (1 - sw));
      p += d;
      if (p >= 1) p -= 1;
      gg += dg;
      pc += dPerc;
      ck += dClick;
      sw += dSway;
    }
    phase = p;
    g = gg;
    perc = pc;
    click = ck;
    sway = sw;
    seed = s;
  }
}
