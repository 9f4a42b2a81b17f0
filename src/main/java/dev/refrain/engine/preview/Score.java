package dev.refrain.engine.preview;

import java.util.List;

/** A composed piece: its notes sorted by start, and the bar length rendering may restart on. */
record Score(List<Note> notes, double framesPerBar) {}
