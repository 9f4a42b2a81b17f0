package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays a score into stereo buffers block after block: each note's sound is placed by its pan
 * (constant power; a wide sound's two channels are spread either side of it) and sent to a shared
 * reverb by its part's send level. Notes that ring across a block boundary stay alive until their
 * sound dies, and only those are kept, so memory stays small however long the song. Sounds keep
 * their own clocks and the reverb its state, so the result does not depend on how the work is cut
 * into blocks.
 */
final class Mixer {
  private static final double REVERB_SECONDS = 2.2;
  private static final double PRE_DELAY = 0.025;
  /** How far apart a wide sound's two channels sit, in pan units either side of the note's pan. */
  private static final double SPREAD = 0.6;

  private static final class Playing {
    final Sound sound;
    final int start;
    final boolean wide;
    final float aLeft, aRight, bLeft, bRight;
    final float send;

    Playing(Sound sound, int start, double pan, double send) {
      this.sound = sound;
      this.start = start;
      this.wide = sound.wide();
      // A note panned out to one side narrows to a point there; a centred one spreads widest.
      double spread = wide ? SPREAD * (1 - Math.abs(pan)) : 0;
      double a = Math.max(-1, Math.min(1, pan - spread));
      double b = Math.max(-1, Math.min(1, pan + spread));
      // Constant power: each channel's gain is the cosine and sine of a quarter turn across the field.
      double share = wide ? StrictMath.sqrt(0.5) : 1;
      aLeft = (float) (share * StrictMath.cos((a + 1) * StrictMath.PI / 4));
      aRight = (float) (share * StrictMath.sin((a + 1) * StrictMath.PI / 4));
      bLeft = (float) (share * StrictMath.cos((b + 1) * StrictMath.PI / 4));
      bRight = (float) (share * StrictMath.sin((b + 1) * StrictMath.PI / 4));
      this.send = (float) send;
    }
  }

  private final List<Note> notes;
  private final int rate;
  private final SplittableRandom rng;
  private final float[] a;
  private final float[] b;
  private final float[] sendLeft;
  private final float[] sendRight;
  private final Reverb reverb;
  private Playing[] playing = new Playing[64];
  private int sounding;
  private int next;
  private int position;

  /** Starts at frame {@code begin}; notes that start earlier are never played. */
  Mixer(Score score, int rate, SplittableRandom rng, int begin, int maxBlock) {
    this.notes = score.notes();
    this.rate = rate;
    this.rng = rng;
    this.a = new float[maxBlock];
    this.b = new float[maxBlock];
    this.sendLeft = new float[maxBlock];
    this.sendRight = new float[maxBlock];
    this.reverb = new Reverb(rate, REVERB_SECONDS, PRE_DELAY);
    this.position = begin;
    while (next < notes.size() && notes.get(next).start() < begin) next++;
  }

  /** Adds the next {@code count} frames into left and right from {@code offset}. */
  void render(float[] left, float[] right, int offset, int count) {
    int end = position + count;
    while (next < notes.size() && notes.get(next).start() < end) {
      Note note = notes.get(next++);
      if (sounding == playing.length) playing = Arrays.copyOf(playing, 2 * sounding);
      playing[sounding++] = new Playing(Voices.sound(note, rate, rng), note.start(), note.pan(), send(note));
    }
    Arrays.fill(sendLeft, 0, count, 0f);
    Arrays.fill(sendRight, 0, count, 0f);
    int kept = 0;
    for (int k = 0; k < sounding; k++) {
      Playing p = playing[k];
      int from = Math.max(p.start, position) - position;
      int n = count - from;
      boolean alive = p.sound.render(a, b, 0, n);
      mix(p, left, right, offset, from, n);
      if (alive) playing[kept++] = p;
    }
    Arrays.fill(playing, kept, sounding, null);
    sounding = kept;
    reverb.process(sendLeft, sendRight, left, right, offset, count);
    position = end;
  }

  /** How many notes are still sounding: what the mixer holds besides its fixed buffers. */
  int sounding() {
    return sounding;
  }

  /** Adds a sound's n samples, rendered from 0 in the scratch buffers, at {@code from} into the block. */
  private void mix(Playing p, float[] left, float[] right, int offset, int from, int n) {
    float[] sa = a, sb = b, sl = sendLeft, sr = sendRight;
    float al = p.aLeft, ar = p.aRight, send = p.send;
    int at = offset + from;
    if (p.wide) {
      float bl = p.bLeft, br = p.bRight;
      for (int i = 0; i < n; i++) {
        float x = sa[i], y = sb[i];
        float l = x * al + y * bl;
        float r = x * ar + y * br;
        left[at + i] += l;
        right[at + i] += r;
        sl[from + i] += send * l;
        sr[from + i] += send * r;
      }
    } else {
      for (int i = 0; i < n; i++) {
        float x = sa[i];
        float l = x * al;
        float r = x * ar;
        left[at + i] += l;
        right[at + i] += r;
        sl[from + i] += send * l;
        sr[from + i] += send * r;
      }
    }
  }

  /** How much of a note goes to the reverb: sustained and sung parts wetter, the low end nearly dry. */
  private static double send(Note note) {
    return switch (note.part()) {
      case PAD, STRINGS -> 0.45;
      case VOICE -> 0.35;
      case FLUTE, SAX, BRASS, BELLS, EPIANO -> 0.3;
      case PIANO, GUITAR, ORGAN, SYNTH -> 0.22;
      case DRUMS -> note.key() == Kit.KICK ? 0.02 : 0.12;
      case BASS -> 0.03;
    };
  }
}
