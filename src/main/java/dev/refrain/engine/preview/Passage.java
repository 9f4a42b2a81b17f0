package dev.refrain.engine.preview;

import java.util.List;

/**
 * One section as the players see it: its bars, its chords and how full to play, over [from, to) in
 * beats from the grid's downbeat. The final cadence is not part of any passage.
 *
 * @param bars the section's bars in order, the first possibly a partial pickup bar
 * @param intensity 0 (break) to 3 (full band)
 * @param crash when the crash that opens the section falls, NaN for none
 */
record Passage(Arrangement.Span span, double from, double to, List<Bar> bars, List<Timed> chords, int intensity,
    double crash) {

  /**
   * A bar, clipped to the passage.
   *
   * @param line where the bar would start on the grid, perhaps before the passage does
   * @param index the bar's place in the chord progression
   */
  record Bar(double line, double from, double to, int index) {
    boolean full(int beatsPerBar) {
      return from == line && to - line >= beatsPerBar - 1e-9;
    }
  }

  /** A chord and when it sounds. */
  record Timed(double from, double to, Chord chord) {}

  Chord chordAt(double beat) {
    for (Timed t : chords) {
      if (beat < t.to()) return t.chord();
    }
    return chords.getLast().chord();
  }

  /** The bars that fill their whole length, where phrases can go. */
  List<Bar> fullBars(int beatsPerBar) {
    return bars.stream().filter(b -> b.full(beatsPerBar)).toList();
  }
}
