package dev.refrain.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the kick and the snare play, bar by bar, on the grid's sixteenths: a slot holds a kick when
 * the magnitude below 150 Hz jumps there (its rise over a few frames, so a held bass note does not
 * count), a snare when the 1.5–5 kHz band does; a jump counts when it reaches a share of the
 * track's big ones, so ghost notes and hi-hats (quieter in that band) stay out.
 */
final class DrumOnsets {
  /** Sixteenths per beat. */
  static final int STEPS_PER_BEAT = 4;
  /** A slot looks for its onset from this many frames before to this many after its time (about ±35 ms at 22 kHz). */
  private static final int BEFORE = 3, AFTER = 2;
  /** How many frames back the rise is measured from: a drum's attack is over within a few. */
  private static final int RISE_FRAMES = 2;
  /** A rise counts as a hit at this share of the track's big rises (their 95th percentile over slots). */
  private static final double HIT = 0.45;
  /** Rises under this magnitude are nothing (silence, noise). */
  private static final double FLOOR = 0.01;

  private DrumOnsets() {}

  /** One bar per bar line from {@code downbeat} (the first begun before the clip at 0), {@code beat} and bar in seconds. */
  static List<Analysis.DrumBar> of(Onsets o, double downbeat, double beat, int beatsPerBar, double duration) {
    double bar = beat * beatsPerBar;
    double start = downbeat - Math.ceil(downbeat / bar) * bar;
    int bars = (int) Math.max(0, Math.ceil((duration - start) / bar));
    int steps = Math.min(Long.SIZE, beatsPerBar * STEPS_PER_BEAT);
    float[] kick = new float[bars * steps], snare = new float[bars * steps];
    for (int i = 0; i < kick.length; i++) {
      double t = start + i * beat / STEPS_PER_BEAT;
      kick[i] = rise(o.low, o, t);
      snare[i] = rise(o.mid, o, t);
    }
    double kickBar = Math.max(FLOOR, HIT * MelodyTrack.percentile(kick, 0.95));
    double snareBar = Math.max(FLOOR, HIT * MelodyTrack.percentile(snare, 0.95));
    List<Analysis.DrumBar> out = new ArrayList<>();
    for (int b = 0; b < bars; b++) {
      long k = 0, s = 0;
      for (int i = 0; i < steps; i++) {
        if (kick[b * steps + i] >= kickBar) k |= 1L << i;
        if (snare[b * steps + i] >= snareBar) s |= 1L << i;
      }
      out.add(new Analysis.DrumBar(Math.max(0, start + b * bar), steps, k, s));
    }
    return out;
  }

  /** The band's biggest rise over {@link #RISE_FRAMES} frames near time {@code t}. */
  private static float rise(float[] band, Onsets o, double t) {
    int centre = (int) Math.round(t * o.frameRate);
    float best = 0;
    for (int n = Math.max(RISE_FRAMES, centre - BEFORE); n <= Math.min(band.length - 1, centre + AFTER); n++) {
      best = Math.max(best, band[n] - band[n - RISE_FRAMES]);
    }
    return best;
  }
}
