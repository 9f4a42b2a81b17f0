package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A drum hit: a sine that sweeps down in pitch plus high-passed noise, each with its own decay. */
final class Drum implements Sound {
  private static final double SILENT = 1e-3;

  private final double endInc;
  private final double sweep;
  private final double toneDecay;
  private final double noiseDecay;
  private final double highpass;
  private final SplittableRandom rng;
  private double inc;
  private double phase;
  private double tone;
  private double noise;
  private double lastIn;
  private double lastOut;

  private Drum(int rate, double startHz, double endHz, double sweepSeconds, double tone, double toneSeconds,
      double noise, double noiseSeconds, double highpassHz, double gain, SplittableRandom rng) {
    this.inc = startHz / rate;
    this.endInc = endHz / rate;
    this.sweep = Wave.decay(sweepSeconds, rate);
    this.tone = tone * gain;
    this.toneDecay = Wave.decay(toneSeconds, rate);
    this.noise = noise * gain;
    this.noiseDecay = Wave.decay(noiseSeconds, rate);
    this.highpass = 1 / (1 + 2 * StrictMath.PI * highpassHz / rate);
    this.rng = rng;
  }

  static Drum of(int key, int rate, double gain, SplittableRandom rng) {
    SplittableRandom own = rng.split();
    return switch (key) {
      case Kit.KICK -> new Drum(rate, 150, 45, 0.04, 1.0, 0.17, 0.25, 0.004, 1000, gain, own);
      case Kit.SNARE -> new Drum(rate, 200, 170, 0.05, 0.5, 0.08, 0.8, 0.1, 1200, gain, own);
      case Kit.OPEN_HAT -> new Drum(rate, 0, 0, 1, 0, 1, 1.0, 0.1, 7000, gain, own);
      default -> new Drum(rate, 0, 0, 1, 0, 1, 1.0, 0.025, 7000, gain, own);
    };
  }

  @Override
  public boolean render(float[] out, int offset, int count) {
    double ti = inc, ph = phase, t = tone, nz = noise, in = lastIn, hp = lastOut;
    for (int i = 0; i < count; i++) {
      double s = 0;
      if (t > SILENT) {
        s = t * Wave.sine(ph);
        ph += ti;
        if (ph >= 1) ph -= 1;
        ti = endInc + (ti - endInc) * sweep;
        t *= toneDecay;
      }
      if (nz > SILENT) {
        double w = rng.nextDouble() * 2 - 1;
        hp = highpass * (hp + w - in);
        in = w;
        s += nz * hp;
        nz *= noiseDecay;
      }
      out[offset + i] = (float) s;
      if (t <= SILENT && nz <= SILENT) {
        Arrays.fill(out, offset + i + 1, offset + count, 0f);
        return false;
      }
    }
    inc = ti;
    phase = ph;
    tone = t;
    noise = nz;
    lastIn = in;
    lastOut = hp;
    return true;
  }
}
