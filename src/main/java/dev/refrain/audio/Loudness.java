package dev.refrain.audio;

import java.util.Arrays;

/**
 * ITU-R BS.1770-4 / EBU R128 integrated loudness, fed block by block.
 *
 * <p>K-weighting is the standard's two-stage filter (high shelf, then high-pass) designed from its
 * analogue parameters for the actual rate, since the published 48 kHz coefficients are wrong
 * elsewhere. Energy is kept per 100 ms step; each 400 ms gating block is four steps (75 % overlap).
 */
public final class Loudness {
  // Analogue prototypes of the K-weighting stages (the 48 kHz table in BS.1770 is their bilinear transform).
  private static final double SHELF_HZ = 1681.974450955533, SHELF_DB = 3.999843853973347, SHELF_Q = 0.7071752369554196;
  private static final double HIGHPASS_HZ = 38.13547087602444, HIGHPASS_Q = 0.5003270373238773;
  private static final double ABSOLUTE_GATE = -70, RELATIVE_GATE = -10;

  private final int sampleRate;
  private final double[] weight;
  private final double b0, b1, b2, a1, a2; // high shelf
  private final double h1, h2;             // high-pass, numerator 1, -2, 1
  private final double[][] state;          // per channel: shelf x1 x2 y1 y2, high-pass y1 y2
  private final double[] steps = new double[4]; // weighted energy of the last four 100 ms steps
  private final int[] stepFrames = new int[4];
  private long stepIndex, frameInStep;
  private int stepLength;
  private double stepEnergy;
  private double[] blocks = new double[256]; // mean-square energy of each complete 400 ms block
  private int blockCount;

  public Loudness(int sampleRate, int channels) {
    if (sampleRate <= 0 || channels <= 0) throw new IllegalArgumentException("sampleRate and channels must be positive");
    this.sampleRate = sampleRate;
    weight = new double[channels];
    for (int c = 0; c < channels; c++) weight[c] = channelWeight(c, channels);
    state = new double[channels][6];

    double k = StrictMath.tan(Math.PI * SHELF_HZ / sampleRate);
    double vh = StrictMath.pow(10, SHELF_DB / 20), vb = StrictMath.pow(vh, 0.4996667741545416);
    double a0 = 1 + k / SHELF_Q + k * k;
    b0 = (vh + vb * k / SHELF_Q + k * k) / a0;
    b1 = 2 * (k * k - vh) / a0;
    b2 = (vh - vb * k / SHELF_Q + k * k) / a0;
    a1 = 2 * (k * k - 1) / a0;
    a2 = (1 - k / SHELF_Q + k * k) / a0;
    k = StrictMath.tan(Math.PI * HIGHPASS_HZ / sampleRate);
    a0 = 1 + k / HIGHPASS_Q + k * k;
    h1 = 2 * (k * k - 1) / a0;
    h2 = (1 - k / HIGHPASS_Q + k * k) / a0;
    stepLength = stepEnd(0);
  }

  /** BS.1770 weights: L, R, C 1.0; the surrounds of a 5.0 or 5.1 layout 1.41; the LFE of 5.1 excluded. */
  private static double channelWeight(int c, int channels) {
    if (channels == 5 && c >= 3) return 1.41;
    if (channels == 6) return c == 3 ? 0 : c >= 4 ? 1.41 : 1;
    return 1;
  }

  /** Frames [offset, offset + count) of every channel. */
  public void add(float[][] planar, int offset, int count) {
    while (count > 0) {
      int n = (int) Math.min(count, stepLength - frameInStep);
      double energy = 0;
      for (int c = 0; c < weight.length; c++) {
        if (weight[c] != 0) energy += weight[c] * filter(planar[c], offset, n, state[c]);
      }
      stepEnergy += energy;
      frameInStep += n;
      offset += n;
      count -= n;
      if (frameInStep == stepLength) endStep();
    }
  }

  /** Runs both K-weighting stages over x[offset, offset + n) and returns the sum of squares. */
  private double filter(float[] x, int offset, int n, double[] s) {
    double x1 = s[0], x2 = s[1], y1 = s[2], y2 = s[3], z1 = s[4], z2 = s[5], sum = 0;
    for (int i = offset, end = offset + n; i < end; i++) {
      double x0 = x[i];
      double y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      double z0 = y0 - 2 * y1 + y2 - h1 * z1 - h2 * z2; // the high-pass reads the shelf's output
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      z2 = z1;
      z1 = z0;
      sum += z0 * z0;
    }
    s[0] = x1;
    s[1] = x2;
    s[2] = y1;
    s[3] = y2;
    s[4] = z1;
    s[5] = z2;
    return sum;
  }

  private void endStep() {
    int slot = (int) (stepIndex & 3);
    steps[slot] = stepEnergy;
    stepFrames[slot] = stepLength;
    stepIndex++;
    if (stepIndex >= 4) {
      double energy = steps[0] + steps[1] + steps[2] + steps[3];
      int frames = stepFrames[0] + stepFrames[1] + stepFrames[2] + stepFrames[3];
      if (blockCount == blocks.length) blocks = Arrays.copyOf(blocks, blockCount * 2);
      blocks[blockCount++] = energy / frames;
    }
    stepEnergy = 0;
    frameInStep = 0;
    stepLength = stepEnd(stepIndex);
  }

  /** Frames in step i; boundaries fall at round(i × rate / 10) so odd rates keep exact 100 ms on average. */
  private int stepEnd(long i) {
    return (int) (Math.round((i + 1) * sampleRate / 10.0) - Math.round(i * sampleRate / 10.0));
  }

  /** Gated integrated loudness in LUFS so far; −Infinity when no block passes the gates. */
  public double integrated() {
    double absolute = energyOf(ABSOLUTE_GATE);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < blockCount; i++) {
      if (blocks[i] > absolute) {
        sum += blocks[i];
        n++;
      }
    }
    if (n == 0) return Double.NEGATIVE_INFINITY;
    double relative = Math.max(absolute, sum / n * StrictMath.pow(10, RELATIVE_GATE / 10));
    sum = 0;
    n = 0;
    for (int i = 0; i < blockCount; i++) {
      if (blocks[i] > relative) {
        sum += blocks[i];
        n++;
      }
    }
    return n == 0 ? Double.NEGATIVE_INFINITY : lufs(sum / n);
  }

  public static double integrated(AudioClip clip) {
    Loudness l = new Loudness(clip.sampleRate(), clip.channelCount());
    l.add(clip.channels(), 0, clip.frames());
    return l.integrated();
  }

  private static double lufs(double energy) {
    return -0.691 + 10 * StrictMath.log10(energy);
  }

  private static double energyOf(double lufs) {
    return StrictMath.pow(10, (lufs + 0.691) / 10);
  }
}
