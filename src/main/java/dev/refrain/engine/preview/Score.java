package dev.refrain.engine.preview;

import java.util.List;
import java.util.Map;

/**
 * A composed piece: its notes sorted by start frame, and how bright its instruments play.
 *
 * @param brightness how much brighter or darker than usual the band plays; see {@link Style#brightness()}
 * @param instruments who plays which part, where someone is named; see {@link Style#instruments()}
 * @param reverb how much of the reverb the parts are sent; see {@link Style#reverb()}
 * @param form the sections in order, in beats from the grid's downbeat
 */
record Score(List<Note> notes, double brightness, Map<Part, Instrument> instruments, double reverb, List<Arrangement.Span> form) {
  /** A score with no sections to report: a test's handful of notes. */
  Score(List<Note> notes, double brightness, Map<Part, Instrument> instruments, double reverb) {
    this(notes, brightness, instruments, reverb, List.of());
  }
}
