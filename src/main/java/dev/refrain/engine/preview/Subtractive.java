package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Two detuned sawtooths through a two-pole low-pass: pads, strings, synth and bass. */
final class Subtractive implements Sound {
  private final double inc1;
  private final double inc2;
  private final double smoothing;
  private final Envelope env;
  private final double gain;
  private double phase1;
  private double phase2;
  private double low1;
  private double low2;

  /** The two oscillators sit {@code detuneCents} either side of the pitch, from random phases so stacked notes differ. */
  Subtractive(double hz, int rate, double detuneCents, double cutoffHz, Envelope env, double gain, SplittableRandom rng) {
    inc1 = hz * StrictMath.pow(2, -detuneCents / 1200) / rate;
    inc2 = hz * StrictMath.pow(2, detuneCents / 1200) / rate;
    phase1 = rng.nextDouble();
    phase2 = rng.nextDouble();
    smoothing = 1 - StrictMath.exp(-2 * StrictMath.PI * Math.min(cutoffHz, 0.45 * rate) / rate);
    this.env = env;
    this.gain = gain / 2;
  }

  @Override
  public boolean render(float[] out, int offset, int count) {
    // State in locals: the JIT keeps them in registers, where fields would round-trip memory each sample.
    double p1 = phase1;
    double p2 = phase2;
    double l1 = low1;
    double l2 = low2;
    double d1 = inc1;
    double d2 = inc2;
    double c = smoothing;
    double keep = 1 - smoothing;
    boolean alive = true;
    for (int i = 0; i < count && alive; ) {
      int end = Math.min(count, i + Envelope.STEP);
      double g = env.level() * gain;
      double dg = (env.advance(end - i) * gain - g) / (end - i);
      for (; i < end; i++) {
        double x = Wave.saw(p1, d1) + Wave.saw(p2, d2);
        p1 += d1;
        if (p1 >= 1) p1 -= 1;
        p2 += d2;
        if (p2 >= 1) p2 -= 1;
        l1 = l1 * keep + c * x;
        l2 = l2 * keep + c * l1;
        out[offset + i] = (float) (l2 * g);
        g += dg;
      }
      if (env.done()) {
        Arrays.fill(out, offset + i, offset + count, 0f);
        alive = false;
      }
    }
    phase1 = p1;
    phase2 = p2;
    low1 = l1;
    low2 = l2;
    return alive;
  }
}
