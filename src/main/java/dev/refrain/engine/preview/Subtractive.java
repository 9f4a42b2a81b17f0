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
   * @param sweep octaves the filter envelope opens the cutoff at its peak, scaled by the amplitude envelope
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
  private final Adsr env;
  private final double gain;
  private final double[] incs;
  /** Each oscillator's phase, and its increment through the current step. */
  private final double[] phases;
  private final double[] steps;
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
  private double sineStep;
  private double vibratoPhase;
  private double vibratoDepth;
  private double sweep;
  private double scoop;
  private long seed;
  private double g;
  private double dg;
  /** The state-variable filter as a 2×2 state update: state' = M·state + B·x, output = C·state + D·x. */
  private double m11;
  private double m12;
  private double m21;
  private double m22;
  private double b1;
  private double b2;
  private double c1;
  private double c2;
  private double d;
  private double s1a;
  private double s2a;
  private double s1b;
  private double s2b;

  Subtractive(Patch patch, double hz, int rate, int gate, double velocity, double gain, long seed) {
    this.patch = patch;
    this.rate = rate;
    this.env = new Adsr(rate, patch.attack(), patch.decay(), patch.sustain(), patch.release(), gate);
    this.gain = gain;
    int n = patch.oscillators();
    incs = new double[n];
    phases = new double[n];
    steps = new double[n];
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
    double bend = Wave.cents(scoop + vibratoDepth * Wave.sine(vibratoPhase));
    for (int o = 0; o < phases.length; o++) steps[o] = incs[o] * bend;
    sineStep = sineInc * bend;
    // The sweep also rides the amplitude envelope, so a slow attack opens the filter as it swells,
    // the way a brass player's tone brightens as the note builds.
    double cutoff = baseCutoff * Wave.exp2(sweep * env.level());
    sweep *= sweepFall;
    // Zavalishin's topology-preserving state-variable low-pass, its recursion multiplied out into
    // a matrix so each sample's serial chain is one multiply and two adds.
    double t = Wave.tune(cutoff, rate);
    double a1 = 1 / (1 + t * (t + k));
    double a2 = t * a1;
    double a3 = t * a2;
    m11 = 2 * a1 - 1;
    m12 = -2 * a2;
    m21 = 2 * a2;
    m22 = 1 - 2 * a3;
    b1 = 2 * a2;
    b2 = 2 * a3;
    c1 = a2;
    c2 = 1 - a3;
    d = a3;
    return true;
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    boolean split = patch.wide();
    double[] ba = bufA;
    double[] bb = split ? bufB : bufA;
    Arrays.fill(ba, 0, n, 0);
    if (split) Arrays.fill(bb, 0, n, 0);
    double width = patch.pulse();
    // Oscillators two at a time, in one loop: their phase chains overlap instead of waiting on each other.
    int o = 0;
    for (; o + 1 < phases.length; o += 2) {
      double d0 = steps[o], d1 = steps[o + 1], p0 = phases[o], p1 = phases[o + 1];
      for (int i = 0; i < n; i++) {
        double x0 = width > 0 ? Wave.pulse(p0, d0, width) : Wave.saw(p0, d0);
        double x1 = width > 0 ? Wave.pulse(p1, d1, width) : Wave.saw(p1, d1);
        ba[i] += x0;
        bb[i] += x1;
        p0 += d0;
        if (p0 >= 1) p0 -= 1;
        p1 += d1;
        if (p1 >= 1) p1 -= 1;
      }
      phases[o] = p0;
      phases[o + 1] = p1;
    }
    if (o < phases.length) {
      double d0 = steps[o], p0 = phases[o];
      for (int i = 0; i < n; i++) {
        ba[i] += width > 0 ? Wave.pulse(p0, d0, width) : Wave.saw(p0, d0);
        p0 += d0;
        if (p0 >= 1) p0 -= 1;
      }
      phases[o] = p0;
    }
    // The oscillators' sum is scaled down in the filter loop; the sine and noise are pre-scaled up to match.
    double scale = 1.0 / Math.max(1, phases.length);
    if (patch.sine() > 0 || patch.noise() > 0) {
      double level = patch.sine() * (split ? 0.5 : 1) / scale;
      double noise = patch.noise() * (split ? 0.5 : 1) / scale;
      double inc = sineStep;
      double p = sinePhase;
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
    double q11 = m11, q12 = m12, q21 = m21, q22 = m22, in1 = b1 * scale, in2 = b2 * scale;
    double o1 = c1, o2 = c2, thru = d * scale, drive = patch.drive(), g0 = g + from * dg, step = dg;
    double p1 = s1a, p2 = s2a, r1 = s1b, r2 = s2b;
    for (int i = 0; i < n; i++) {
      double x = ba[i];
      double y = o1 * p1 + o2 * p2 + thru * x;
      double n1 = q11 * p1 + q12 * p2 + in1 * x;
      p2 = q21 * p1 + q22 * p2 + in2 * x;
      p1 = n1;
      y = Wave.saturate(y, drive);
      double gg = g0 + i * step;
      a[at + i] = (float) (y * gg);
      if (split) {
        // The second channel's filter runs in the same loop, so the two serial chains overlap.
        double z = bb[i];
        double w = o1 * r1 + o2 * r2 + thru * z;
        double m1 = q11 * r1 + q12 * r2 + in1 * z;
        r2 = q21 * r1 + q22 * r2 + in2 * z;
        r1 = m1;
        w = Wave.saturate(w, drive);
        b[at + i] = (float) (w * gg);
      }
    }
    s1a = p1;
    s2a = p2;
    s1b = r1;
    s2b = r2;
  }
}
