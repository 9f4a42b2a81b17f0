package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A plucked string by Karplus–Strong: a burst of noise circulating in a delay line that averages itself duller. */
final class Pluck implements Sound {
  private static final double RING_SECONDS = 1.2;

  private final float[] line;
  private final float loss;
  private final Envelope env;
  private final double gain;
  private int pos;

  /** brightness in (0, 1]: how much of the pick's noise survives the initial low-pass. */
  Pluck(double hz, int rate, int gate, double brightness, double gain, SplittableRandom rng) {
    // The two-point average delays by half a sample, so the line is half a sample short.
    int period = Math.max(2, (int) Math.round(rate / hz - 0.5));
    line = new float[period];
    double low = 0;
    double mean = 0;
    for (int i = 0; i < period; i++) {
      low += brightness * (rng.nextDouble() * 2 - 1 - low);
      line[i] = (float) low;
      mean += low;
    }
    mean /= period;
    for (int i = 0; i < period; i++) line[i] -= (float) mean; // no DC thump
    loss = (float) StrictMath.exp(-(period / (double) rate) / RING_SECONDS);
    env = new Envelope(rate, 0, 1, 1, 0.05, gate);
    this.gain = gain;
  }

  @Override
  public boolean render(float[] out, int offset, int count) {
    float[] d = line;
    int p = pos;
    float half = 0.5f * loss;
    boolean alive = true;
    for (int i = 0; i < count && alive; ) {
      int end = Math.min(count, i + Envelope.STEP);
      double g = env.level() * gain;
      double dg = (env.advance(end - i) * gain - g) / (end - i);
      for (; i < end; i++) {
        float a = d[p];
        int next = p + 1 == d.length ? 0 : p + 1;
        d[p] = half * (a + d[next]);
        p = next;
        out[offset + i] = (float) (a * g);
        g += dg;
      }
      if (env.done()) {
        Arrays.fill(out, offset + i, offset + count, 0f);
        alive = false;
      }
    }
    pos = p;
    return alive;
  }
}
