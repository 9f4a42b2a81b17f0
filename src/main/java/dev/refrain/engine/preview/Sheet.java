package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the players write: times in beats from the grid's downbeat become frames, with the style's
 * swing bending the off-beats, and every note is kept inside the span it was written for.
 */
final class Sheet {
  private final Grid grid;
  private final double swing;
  private final double swingUnit;
  private final double brightness;
  private final java.util.Map<Part, Instrument> instruments;
  private final double reverb;
  private final List<Note> notes = new ArrayList<>();

  Sheet(Grid grid, Style style) {
    this.grid = grid;
    this.swing = style.compound() ? 0 : style.swing();
    this.swingUnit = style.swing16() ? 0.5 : 1;
    this.brightness = style.brightness();
    this.instruments = style.instruments();
    this.reverb = style.reverb();
  }

  Grid grid() {
    return grid;
  }

  /** Who plays the part where the style names someone (see {@link Style#instruments()}), else null. */
  Instrument instrument(Part part) {
    return instruments.get(part);
  }

  /**
   * The frame of a time in beats: within each pair of off-beats the second is pushed from halfway
   * toward two thirds, the triplet, by the swing amount, and the times between stretch to match.
   */
  double frame(double beat) {
    double pair = Math.floor(beat / swingUnit);
    double within = beat / swingUnit - pair;
    double mid = 0.5 + swing * (2.0 / 3 - 0.5);
    double bent = within < 0.5 ? within * mid / 0.5 : mid + (within - 0.5) * (1 - mid) / 0.5;
    return grid.downbeat() + (pair + bent) * swingUnit * grid.framesPerBeat();
  }

  /** The time in beats of a frame, ignoring swing. */
  double beat(double frame) {
    return (frame - grid.downbeat()) / grid.framesPerBeat();
  }

  /**
   * Writes a note held for {@code beats}, clipped to [from, to) in beats: one starting before
   * {@code from} is dropped unless it still sounds for a beat after it, when it starts there instead.
   */
  void add(double at, double beats, int key, double velocity, double pan, Part part, Syllable syllable, double from, double to) {
    double end = Math.min(at + beats, to);
    if (at < from) {
      if (end - from < 1) return;
      at = from;
    }
    if (at >= to) return;
    int start = (int) Math.round(frame(at));
    if (start < 0 || start >= grid.frames()) return;
    int stop = (int) Math.min(grid.frames(), Math.round(frame(end)));
    float v = (float) Math.max(0.02, Math.min(1, velocity));
    float p = (float) Math.max(-1, Math.min(1, pan));
    notes.add(new Note(start, Math.max(1, stop - start), key, v, p, part, syllable));
  }

  Score score(List<Arrangement.Span> form) {
    List<Note> sorted = new ArrayList<>(notes);
    sorted.sort(Comparator.comparingInt(Note::start)); // stable, so ties keep their written order
    return new Score(List.copyOf(sorted), brightness, instruments, reverb, List.copyOf(form));
  }
}
