package dev.refrain.engine.preview;

import java.util.List;

/**
 * The time frame a score is written into: its length, its beat and bar lines, and optionally the
 * section boundaries it must respect. For txt2audio it comes from the style; for audio-driven tasks
 * from the analysis of the input, so the new music lands on the input's beats and sections.
 *
 * @param rate sample rate of the render
 * @param frames length of the piece in frames; the score covers [0, frames)
 * @param framesPerBeat length of one beat in frames (not necessarily whole)
 * @param beatsPerBar beats in one bar (3 for 3/4, 4 for 4/4, ...)
 * @param downbeat the frame of one bar line; the others are at downbeat + k × bar for every integer
 *     k, so the first full bar may start later than 0 (an anacrusis) and earlier bars are partial
 * @param sectionStarts frames where sections must begin, ascending, first 0; empty when the
 *     composer is free to lay out the sections itself
 */
record Grid(int rate, int frames, double framesPerBeat, int beatsPerBar, double downbeat, List<Integer> sectionStarts) {
  Grid {
    if (rate <= 0 || frames < 0 || !(framesPerBeat > 0) || beatsPerBar < 1) {
      throw new IllegalArgumentException("bad grid");
    }
    sectionStarts = List.copyOf(sectionStarts);
  }

  /** A grid from time 0 at a steady tempo, with no sections imposed. */
  static Grid of(int rate, int frames, double bpm, int beatsPerBar) {
    return new Grid(rate, frames, rate * 60 / bpm, beatsPerBar, 0, List.of());
  }

  double framesPerBar() {
    return framesPerBeat * beatsPerBar;
  }

  double bpm() {
    return rate * 60 / framesPerBeat;
  }
}
