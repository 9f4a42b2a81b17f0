package dev.refrain.engine.preview;

import java.util.Arrays;

/**
 * The analogue-style voice: detuned band-limited saws or pulses, a sine, and breath noise, through
 * a resonant state-variable low-pass whose cutoff follows the key, the velocity and its own
 * envelope, with vibrato and a scoop up into pitch. A wide patch sends alternate oscillators to
 * two channels, each with its own filter, so the mixer can spread them apart.
 */
final class Subtractive extends Sound {
  /**
   * A preset.
   *
   * @param oscillators saws (or pulses) stacked across {@code detune} cents, the ends at ±detune/2
   * @param pulse duty of the pulses; 0 for saws
   * @param sine level of a pure sine at the pitch: body for flutes, a sub for basses
   * @param noise level of breath noise, riding the amplitude envelope
   * @param cutoff low-pass corner in Hz at middle C, before key tracking and envelopes
   * @param keytrack how far the cutoff follows pitch, 1 = fully
   * @param sweep octaves the filter envelope opens the cutoff at its peak
   * @param sweepTime seconds the filter envelope takes to fall 60 dB
   * @param resonance the filter's Q
   * @param drive soft saturation after the filter; 0 for none
   * @param vibratoCents depth of the vibrato, which fades in over {@code vibratoDelay} seconds
   * @param scoopCents how far below pitch the note starts; it glides up with time constant scoopTime
   * @param wide whether the oscillators split over two channels
   */
  record Patch(int oscillators, double detune, double pulse, double sine, double noise, double cutoff, double keytrack,
      double sweep, double sweepTime, double resonance, double drive, double vibratoHz, double vibratoCents,
      double vibratoDelay, double scoopCents, double scoopTime, double attack, double decay, double sustain,
      double release, boolean wide) {}

  private final Patch patch;
  private final int rate;
  private final Envelope env;
  private final double gain;
  private final double[] incs;
  private final double[] phases;
  private final double sineInc;
  private final double baseCutoff;
  private final double sweepFall;
  private final double vibratoInc;
  private final double vibratoRamp;
  private final double scoopFall;
  private final double k;
  private final double[] bufA = new double[STEP];
  private final double[] bufB = new double[STEP];
  private double sinePhase;
  private double vibratoPhase;
  private double vibratoDepth;
  private double sweep;
  private double scoop;
  private double bend = 1;
  private long seed;
  private double g;
  private double dg;
  private double a1;
  private double a2;
  private double a3;
  private double s1a;
  private double s2a;
  private double s1b;
  private double s2b;

  Subtractive(Patch patch, double hz, int rate, int gate, double velocity, double gain, long seed) {
    this.patch = patch;
    this.rate = rate;
    this.env = new Envelope(rate, patch.attack(), patch.decay(), patch.sustain(), patch.release(), gate);
    this.gain = gain;
    this.seed = seed;
    int n = patch.oscillators();
    incs = new double[n];
    phases = new double[n];
    for (int i = 0; i < n; i++) {
      double spread = n == 1 ? 0 : (i / (n - 1.0) - 0.5) * patch.detune();
      incs[i] = hz * Wave.cents(spread) / rate;
      seed = Wave.next(seed);
      phases[i] = (seed >>> 11) * 0x1.0p-53; // free-running oscillators: each note starts somewhere else
    }
    this.seed = seed;
    sineInc = hz / rate;
    // Louder notes open the filter up to an octave further, as on a velocity-sensitive synth.
    baseCutoff = patch.cutoff() * StrictMath.pow(hz / 261.63, patch.keytrack()) * StrictMath.pow(2, velocity - 0.5);
    sweepFall = Wave.fall(patch.sweepTime(), rate, STEP);
    sweep = patch.sweep() * velocity;
    vibratoInc = patch.vibratoHz() * STEP / rate;
    vibratoRamp = patch.vibratoCents() * STEP / Math.max(STEP, patch.vibratoDelay() * rate);
    scoop = -patch.scoopCents();
    scoopFall = Wave.decay(patch.scoopTime(), rate / STEP);
    k = 1 / patch.resonance();
  }

  @Override
  boolean wide() {
    return patch.wide();
  }

  @Override
  boolean control() {
    if (env.done()) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    // Pitch moves per step: a vibrato sampled at over a kilohertz steps by far less than a cent.
    vibratoDepth = Math.min(patch.vibratoCents(), vibratoDepth + vibratoRamp);
    vibratoPhase += vibratoInc;
    if (vibratoPhase >= 1) vibratoPhase -= 1;
    scoop *= scoopFall;
    bend = Wave.cents(scoop + vibratoDepth * Wave.sine(vibratoPhase));
    double cutoff = baseCutoff * Wave.exp2(sweep);
    sweep *= sweepFall;
    double t = Wave.tune(cutoff, rate);
    a1 = 1 / (1 + t * (t + k));
    a2 = t * a1;
    a3 = t * a2;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int n) {
    boolean split = patch.wide();
    double[] ba = bufA;
    double[] bb = split ? bufB : bufA;
    Arrays.fill(ba, 0, n, 0);
    if (split) Arrays.fill(bb, 0, n, 0);
    for (int o = 0; o < phases.length; o++) {
      double[] buf = (o & 1) == 0 ? ba : bb;
      double inc = incs[o] * bend;
      double p = phases[o];
      if (patch.pulse() > 0) {
        double w = patch.pulse();
        for (int i = 0; i < n; i++) {
          buf[i] += Wave.pulse(p, inc, w);
          p += inc;
          if (p >= 1) p -= 1;
        }
      } else {
        for (int i = 0; i < n; i++) {
          buf[i] += Wave.saw(p, inc);
          p += inc;
          if (p >= 1) p -= 1;
        }
      }
      phases[o] = p;
    }
    // The oscillators' sum is scaled down in the filter loop; the sine and noise are pre-scaled up to match.
    double scale = 1.0 / Math.max(1, phases.length);
    if (patch.sine() > 0 || patch.noise() > 0) {
      double level = patch.sine() * (split ? 0.5 : 1) / scale;
      double noise = patch.noise() * (split ? 0.5 : 1) / scale;
      double p = sinePhase;
      double inc = sineInc * bend;
      long s = seed;
      for (int i = 0; i < n; i++) {
        s = Wave.next(s);
        double x = level * Wave.sine(p) + noise * Wave.white(s);
        p += inc;
        if (p >= 1) p -= 1;
        ba[i] += x;
        if (split) bb[i] += x;
      }
      sinePhase = p;
      seed = s;
    }
    double gg = g;
    double step = dg;
    double c1 = a1, c2 = a2, c3 = a3, drive = patch.drive();
    double p1 = s1a, p2 = s2a;
    for (int i = 0; i < n; i++) {
      // Topology-preserving state-variable filter: stays stable while its cutoff moves.
      double v3 = ba[i] * scale - p2;
      double v1 = c1 * p1 + c2 * v3;
      double v2 = p2 + c2 * p1 + c3 * v3;
      p1 = 2 * v1 - p1;
      p2 = 2 * v2 - p2;
      double y = drive > 0 ? v2 * (1 + drive) / (1 + drive * Math.abs(v2)) : v2;
      a[at + i] = (float) (y * gg);
      gg += step;
    }
    s1a = p1;
    s2a = p2;
    if (split) {
      gg = g;
      p1 = s1b;
      p2 = s2b;
      for (int i = 0; i < n; i++) {
        double v3 = bb[i] * scale - p2;
        double v1 = c1 * p1 + c2 * v3;
        double v2 = p2 + c2 * p1 + c3 * v3;
        p1 = 2 * v1 - p1;
        p2 = 2 * v2 - p2;
        double y = drive > 0 ? v2 * (1 + drive) / (1 + drive * Math.abs(v2)) : v2;
        b[at + i] = (float) (y * gg);
        gg += step;
      }
      s1b = p1;
      s2b = p2;
    }
    g = gg;
  }
}
