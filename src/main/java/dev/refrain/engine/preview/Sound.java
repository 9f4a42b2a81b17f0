package dev.refrain.engine.preview;

/** One sounding note. Stateful: it renders its samples in order, one block after another. */
interface Sound {
  /** Writes the next {@code count} mono samples into {@code out} from {@code offset}; false once it has died away. */
  boolean render(float[] out, int offset, int count);
}
