package dev.refrain.engine.preview;

/**
 * A stereo reverb: a pre-delay, two all-pass diffusers per side to smear the onset, then an
 * eight-line feedback delay network. Each trip through a line loses exactly the gain that makes the
 * whole network fall 60 dB in the configured time; a one-pole low-pass in each line lets the highs
 * die sooner, as air and soft walls do; an orthogonal (Hadamard) matrix mixes the lines back into
 * each other, which keeps the energy while the echoes multiply. Left and right feed and tap
 * different lines, so the tail is wide. The state carries from one block to the next.
 */
final class Reverb {
  /** Line lengths at 44.1 kHz: mutually prime, 29 to 77 ms, so the echoes never line up. */
  private static final int[] LINES = {1277, 1493, 1741, 1999, 2243, 2539, 2887, 3391};
  private static final int[] DIFFUSERS = {211, 337, 149, 443};
  private static final double DIFFUSION = 0.6;
  private static final double DAMPING = 0.35;
  /** Output level: eight lines fed and tapped add up to a hot tail, brought back to about the send's level. */
  private static final double WET = 0.3;

  private final float[][] lines = new float[8][];
  private final int[] pos = new int[8];
  private final double[] loss = new double[8];
  private final double[] damp = new double[8];
  private final float[][] diffusers = new float[4][];
  private final int[] dpos = new int[4];
  private final float[] preLeft;
  private final float[] preRight;
  private int prePos;
  private double hpLeft;
  private double hpRight;
  private final double hpKeep;
  /**
   * A signal at Nyquist, 400 dB down, added to the input: inaudible, but it keeps a silent tail from
   * decaying into subnormal floats, which x86 processors handle a hundred times slower.
   */
  private double guard = 1e-20;

  /** seconds: time for the tail to fall 60 dB; preDelay in seconds. */
  Reverb(int rate, double seconds, double preDelay) {
    double scale = rate / 44_100.0;
    for (int i = 0; i < 8; i++) {
      int length = Math.max(8, (int) Math.round(LINES[i] * scale));
      lines[i] = new float[length];
      loss[i] = StrictMath.pow(10, -3.0 * length / (seconds * rate));
    }
    for (int i = 0; i < 4; i++) diffusers[i] = new float[Math.max(2, (int) Math.round(DIFFUSERS[i] * scale))];
    int pre = Math.max(1, (int) Math.round(preDelay * rate));
    preLeft = new float[pre];
    preRight = new float[pre];
    // Keeps rumble out of the tail: a one-pole high-pass at about 150 Hz on what goes in.
    hpKeep = StrictMath.exp(-2 * StrictMath.PI * 150.0 / rate);
  }

  /** Feeds {@code count} frames of the sends in and adds the wet signal into left and right from {@code offset}. */
  void process(float[] sendLeft, float[] sendRight, float[] left, float[] right, int offset, int count) {
    float[] l0 = lines[0], l1 = lines[1], l2 = lines[2], l3 = lines[3];
    float[] l4 = lines[4], l5 = lines[5], l6 = lines[6], l7 = lines[7];
    int q0 = pos[0], q1 = pos[1], q2 = pos[2], q3 = pos[3], q4 = pos[4], q5 = pos[5], q6 = pos[6], q7 = pos[7];
    double g0 = loss[0], g1 = loss[1], g2 = loss[2], g3 = loss[3], g4 = loss[4], g5 = loss[5], g6 = loss[6], g7 = loss[7];
    double d0 = damp[0], d1 = damp[1], d2 = damp[2], d3 = damp[3], d4 = damp[4], d5 = damp[5], d6 = damp[6], d7 = damp[7];
    float[] da = diffusers[0], db = diffusers[1], dc = diffusers[2], dd = diffusers[3];
    int pa = dpos[0], pb = dpos[1], pc = dpos[2], pd = dpos[3];
    float[] pl = preLeft, pr = preRight;
    int pp = prePos;
    double hl = hpLeft, hr = hpRight, keep = hpKeep;
    for (int i = 0; i < count; i++) {
      // Pre-delay, then high-pass (input minus its one-pole low-pass).
      double inL = pl[pp];
      double inR = pr[pp];
      pl[pp] = sendLeft[i];
      pr[pp] = sendRight[i];
      if (++pp == pl.length) pp = 0;
      hl = keep * hl + (1 - keep) * inL;
      hr = keep * hr + (1 - keep) * inR;
      inL -= hl;
      inR -= hr;
      guard = -guard;
      inL += guard;
      inR += guard;
      // Schroeder all-passes: flat in level, smeared in time.
      double v = da[pa];
      double w = inL + DIFFUSION * v;
      da[pa] = (float) w;
      if (++pa == da.length) pa = 0;
      inL = v - DIFFUSION * w;
      v = db[pb];
      w = inL + DIFFUSION * v;
      db[pb] = (float) w;
      if (++pb == db.length) pb = 0;
      inL = v - DIFFUSION * w;
      v = dc[pc];
      w = inR + DIFFUSION * v;
      dc[pc] = (float) w;
      if (++pc == dc.length) pc = 0;
      inR = v - DIFFUSION * w;
      v = dd[pd];
      w = inR + DIFFUSION * v;
      dd[pd] = (float) w;
      if (++pd == dd.length) pd = 0;
      inR = v - DIFFUSION * w;
      // Read each line, lose its share of the decay, and dull it.
      d0 += (1 - DAMPING) * (g0 * l0[q0] - d0);
      d1 += (1 - DAMPING) * (g1 * l1[q1] - d1);
      d2 += (1 - DAMPING) * (g2 * l2[q2] - d2);
      d3 += (1 - DAMPING) * (g3 * l3[q3] - d3);
      d4 += (1 - DAMPING) * (g4 * l4[q4] - d4);
      d5 += (1 - DAMPING) * (g5 * l5[q5] - d5);
      d6 += (1 - DAMPING) * (g6 * l6[q6] - d6);
      d7 += (1 - DAMPING) * (g7 * l7[q7] - d7);
      // Each side taps all eight lines through its own orthogonal sign pattern, so the two are decorrelated.
      left[offset + i] += (float) (WET * (d0 - d1 - d2 + d3 + d4 - d5 - d6 + d7));
      right[offset + i] += (float) (WET * (d0 + d1 + d2 + d3 - d4 - d5 - d6 - d7));
      // Fast Walsh–Hadamard transform over the eight, scaled by 1/√8 so it is orthogonal.
      double e0 = d0 + d1, e1 = d0 - d1, e2 = d2 + d3, e3 = d2 - d3;
      double e4 = d4 + d5, e5 = d4 - d5, e6 = d6 + d7, e7 = d6 - d7;
      double f0 = e0 + e2, f1 = e1 + e3, f2 = e0 - e2, f3 = e1 - e3;
      double f4 = e4 + e6, f5 = e5 + e7, f6 = e4 - e6, f7 = e5 - e7;
      double h = 0.35355339059327373;
      // The inputs enter through two more sign patterns, orthogonal to each other and to the taps.
      l0[q0] = (float) (h * (f0 + f4) + inL + inR);
      l1[q1] = (float) (h * (f1 + f5) - inL + inR);
      l2[q2] = (float) (h * (f2 + f6) + inL - inR);
      l3[q3] = (float) (h * (f3 + f7) - inL - inR);
      l4[q4] = (float) (h * (f0 - f4) + inL + inR);
      l5[q5] = (float) (h * (f1 - f5) - inL + inR);
      l6[q6] = (float) (h * (f2 - f6) + inL - inR);
      l7[q7] = (float) (h * (f3 - f7) - inL - inR);
      if (++q0 == l0.length) q0 = 0;
      if (++q1 == l1.length) q1 = 0;
      if (++q2 == l2.length) q2 = 0;
      if (++q3 == l3.length) q3 = 0;
      if (++q4 == l4.length) q4 = 0;
      if (++q5 == l5.length) q5 = 0;
      if (++q6 == l6.length) q6 = 0;
      if (++q7 == l7.length) q7 = 0;
    }
    pos[0] = q0; pos[1] = q1; pos[2] = q2; pos[3] = q3; pos[4] = q4; pos[5] = q5; pos[6] = q6; pos[7] = q7;
    damp[0] = d0; damp[1] = d1; damp[2] = d2; damp[3] = d3; damp[4] = d4; damp[5] = d5; damp[6] = d6; damp[7] = d7;
    dpos[0] = pa; dpos[1] = pb; dpos[2] = pc; dpos[3] = pd;
    prePos = pp;
    hpLeft = hl;
    hpRight = hr;
  }
}
