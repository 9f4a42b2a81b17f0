package dev.refrain.engine.preview;

/**
 * Attack, decay to sustain, release, at control rate: a sound asks for the level up to {@link #STEP}
 * samples on and ramps there linearly, which keeps the envelope's serial arithmetic out of its
 * per-sample loop. Segments change on step boundaries, under a millisecond late at worst.
 */
final class Envelope {
  static final int STEP = 32;
  /** −60 dB: below anything audible under the rest of the mix. */
  private static final double SILENT = 1e-3;

  private final int attack;
  private final int gate;
  private final double sustain;
  private final double decay;
  private final double decayStep;
  private final double release;
  private final double releaseStep;
  private int n;
  private double level;

  /** Times in seconds; gate is the frames the note is held. */
  Envelope(int rate, double attack, double decay, double sustain, double release, int gate) {
    this.attack = Math.max(1, (int) (attack * rate));
    this.gate = gate;
    this.sustain = sustain;
    this.decay = Wave.decay(decay, rate);
    this.decayStep = StrictMath.pow(this.decay, STEP);
    this.release = Wave.decay(release, rate);
    this.releaseStep = StrictMath.pow(this.release, STEP);
  }

  double level() {
    return level;
  }

  /** Moves {@code samples} (at most {@link #STEP}) on and returns the level there. */
  double advance(int samples) {
    if (n >= gate) level *= samples == STEP ? releaseStep : StrictMath.pow(release, samples);
    else if (n < attack) level = Math.min(1, (n + samples) / (double) attack);
    else level = sustain + (level - sustain) * (samples == STEP ? decayStep : StrictMath.pow(decay, samples));
    n += samples;
    return level;
  }

  boolean done() {
    return n > gate && level < SILENT;
  }
}
