package dev.refrain.engine.preview;

import java.util.List;

/**
 * A composed piece: its notes sorted by start frame, and how bright its instruments play.
 *
 * @param brightness how much brighter or darker than usual the band plays; see {@link Style#brightness()}
 */
record Score(List<Note> notes, double brightness) {}
