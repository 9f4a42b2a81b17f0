package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays a score into stereo buffers block after block, keeping notes that ring across a block
 * boundary alive, so the result does not depend on how the work is cut into blocks.
 */
final class Mixer {
  private record Playing(Sound sound, int start, float left, float right) {}

  private final List<Note> notes;
  private final int rate;
  private final SplittableRandom rng;
  private final float[] scratch;
  private List<Playing> playing = new ArrayList<>();
  private int next;
  private int position;

  /** Starts at frame {@code begin}; notes that start earlier are never played. */
  Mixer(Score score, int rate, SplittableRandom rng, int begin, int maxBlock) {
    this.notes = score.notes();
    this.rate = rate;
    this.rng = rng;
    this.scratch = new float[maxBlock];
    this.position = begin;
    while (next < notes.size() && notes.get(next).start() < begin) next++;
  }

  /** Adds the next {@code count} frames into left and right from {@code offset}. */
  void render(float[] left, float[] right, int offset, int count) {
    int end = position + count;
    while (next < notes.size() && notes.get(next).start() < end) {
      Note note = notes.get(next++);
      // Constant-power pan.
      double angle = (note.pan() + 1) * StrictMath.PI / 4;
      playing.add(new Playing(Voices.sound(note, rate, rng), note.start(),
          (float) StrictMath.cos(angle), (float) StrictMath.sin(angle)));
    }
    List<Playing> still = new ArrayList<>(playing.size());
    for (Playing p : playing) {
      int from = Math.max(p.start(), position) - position;
      int n = count - from;
      boolean alive = p.sound().render(scratch, 0, n);
      int at = offset + from;
      for (int i = 0; i < n; i++) {
        float s = scratch[i];
        left[at + i] += s * p.left();
        right[at + i] += s * p.right();
      }
      if (alive) still.add(p);
    }
    playing = still;
    position = end;
  }
}
