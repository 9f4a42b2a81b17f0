package dev.refrain.engine.preview;

import java.util.List;

/** A composed piece: its notes sorted by start frame. */
record Score(List<Note> notes) {}
