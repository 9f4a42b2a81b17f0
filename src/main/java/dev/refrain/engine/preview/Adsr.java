package dev.refrain.engine.preview;

/**
 * A note's amplitude envelope (attack, decay to sustain, release) at control rate: {@link #next()}
 * moves one {@link Sound#STEP} on, and sounds ramp their gain linearly to it, which keeps the
 * envelope's arithmetic out of the per-sample loop. The release starts on the first step boundary
 * at or after the gate, under a millisecond late at worst. Decay and release times are to −60 dB.
 */
final class Adsr {
  /** −60 dB: below anything audible under the rest of the mix (and the reverb carries the tail on). */
  private static final double SILENT = 1e-3;

  private final int attack;
  private final int gate;
  private final double sustain;
  private final double decay;
  private final double release;
  private int n;
  private double level;

  /** Times in seconds; gate is the frames the note is held. */
  Adsr(int rate, double attack, double decay, double sustain, double release, int gate) {
    this.attack = Math.max(Sound.STEP, (int) (attack * rate));
    this.gate = gate;
    this.sustain = sustain;
    this.decay = Wave.fall(decay, rate, Sound.STEP);
    this.release = Wave.fall(release, rate, Sound.STEP);
  }

  double level() {
    return level;
  }

  /** Starts from a level already reached, as a note sung on from the one before: the attack rises from there. */
  void from(double start) {
    level = start;
  }

  /** Moves one step on and returns the level there. */
  double next() {
    if (n >= gate) level *= release;
    else if (n < attack) level = Math.min(1, level + Sound.STEP / (double) attack);
    else level = sustain + (level - sustain) * decay;
    n += Sound.STEP;
    return level;
  }

  boolean done() {
    return n > gate && level < SILENT;
  }
}
