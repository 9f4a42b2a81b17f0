package dev.refrain.engine.preview;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays a score into stereo buffers block after block. Each note's sound is placed by its pan
 * (constant power; a wide sound's two channels spread either side of it) onto a bus shared by the
 * parts with the same reverb send, and each bus feeds the dry mix and, at its send level, a shared
 * reverb. Notes that ring across a block boundary stay alive until their sound dies, and only those
 * are kept, so memory stays small however long the song. Work is done in chunks of {@link #CHUNK}
 * frames, whatever the caller's block, so the buffers stay in cache; sounds keep their own clocks
 * and the reverb its state, so the result does not depend on how the work is cut into blocks.
 */
final class Mixer {
  private static final int CHUNK = 1024;
  private static final double REVERB_SECONDS = 2.2;
  private static final double PRE_DELAY = 0.025;
  /** How far apart a wide sound's two channels sit, in pan units either side of the note's pan. */
  private static final double SPREAD = 0.6;
  /** Reverb send per bus: the low end nearly dry, the kit a little wet, sustained and sung parts wetter. */
  private static final float[] SENDS = {0.02f, 0.12f, 0.22f, 0.3f, 0.35f, 0.4f};

  private static final class Playing {
    final Sound sound;
    final int start;
    final int bus;
    final boolean wide;
    final float aLeft;
    final float aRight;
    final float bLeft;
    final float bRight;

    Playing(Sound sound, Note note) {
      this.sound = sound;
      this.start = note.start();
      this.bus = bus(note);
      this.wide = sound.wide();
      double pan = Math.max(-1, Math.min(1, note.pan()));
      // A note panned out to one side narrows to a point there; a centred one spreads widest.
      double spread = wide ? SPREAD * (1 - Math.abs(pan)) : 0;
      double a = (pan - spread + 1) * StrictMath.PI / 4;
      double b = (pan + spread + 1) * StrictMath.PI / 4;
      // Constant power: each channel's gains are the cosine and sine of its angle across the field.
      double share = wide ? StrictMath.sqrt(0.5) : 1;
      aLeft = (float) (share * StrictMath.cos(a));
      aRight = (float) (share * StrictMath.sin(a));
      bLeft = (float) (share * StrictMath.cos(b));
      bRight = (float) (share * StrictMath.sin(b));
    }
  }

  private final List<Note> notes;
  private final double brightness;
  private final java.util.Map<Part, Instrument> instruments;
  private final int rate;
  private final float reverbSend;
  private final SplittableRandom rng;
  private final float[] a = new float[CHUNK];
  private final float[] b = new float[CHUNK];
  private final float[][] busLeft = new float[SENDS.length][CHUNK];
  private final float[][] busRight = new float[SENDS.length][CHUNK];
  private final boolean[] used = new boolean[SENDS.length];
  private final float[] sendLeft = new float[CHUNK];
  private final float[] sendRight = new float[CHUNK];
  private final Reverb reverb;
  private Playing[] playing = new Playing[64];
  private int sounding;
  private int next;
  private int position;
  /** The last sung note and its singer, for a legato line; see {@link #legato}. */
  private Singer lastSinger;
  private Note lastSung;

  /** Starts at frame {@code begin}; notes that start earlier are never played. */
  Mixer(Score score, int rate, SplittableRandom rng, int begin) {
    this.notes = score.notes();
    this.brightness = score.brightness();
    this.instruments = score.instruments();
    this.rate = rate;
    this.reverbSend = (float) score.reverb();
    this.rng = rng;
    this.reverb = new Reverb(rate, REVERB_SECONDS, PRE_DELAY);
    this.position = begin;
    while (next < notes.size() && notes.get(next).start() < begin) next++;
  }

  /** Adds the next {@code count} frames into left and right from {@code offset}. */
  void render(float[] left, float[] right, int offset, int count) {
    for (int done = 0; done < count; ) {
      int n = Math.min(CHUNK, count - done);
      chunk(left, right, offset + done, n);
      done += n;
    }
  }

  /** How many notes are still sounding: what the mixer holds besides its fixed buffers. */
  int sounding() {
    return sounding;
  }

  private void chunk(float[] left, float[] right, int offset, int count) {
    int end = position + count;
    while (next < notes.size() && notes.get(next).start() < end) {
      Note note = notes.get(next++);
      if (sounding == playing.length) playing = Arrays.copyOf(playing, 2 * sounding);
      Sound sound = Voices.sound(note, instruments.get(note.part()), rate, brightness, rng);
      if (note.part() == Part.VOICE) legato(note, sound);
      playing[sounding++] = new Playing(sound, note);
    }
    Arrays.fill(used, false);
    int kept = 0;
    for (int k = 0; k < sounding; k++) {
      Playing p = playing[k];
      if (!used[p.bus]) {
        Arrays.fill(busLeft[p.bus], 0, count, 0f);
        Arrays.fill(busRight[p.bus], 0, count, 0f);
        used[p.bus] = true;
      }
      int from = Math.max(p.start, position) - position;
      boolean alive = p.sound.render(a, b, 0, count - from);
      place(p, busLeft[p.bus], busRight[p.bus], from, count - from);
      if (alive) playing[kept++] = p;
    }
    Arrays.fill(playing, kept, sounding, null);
    sounding = kept;
    Arrays.fill(sendLeft, 0, count, 0f);
    Arrays.fill(sendRight, 0, count, 0f);
    for (int bus = 0; bus < SENDS.length; bus++) {
      if (!used[bus]) continue;
      float[] bl = busLeft[bus], br = busRight[bus];
      float send = SENDS[bus] * reverbSend;
      for (int i = 0; i < count; i++) {
        left[offset + i] += bl[i];
        right[offset + i] += br[i];
        sendLeft[i] += send * bl[i];
        sendRight[i] += send * br[i];
      }
    }
    reverb.process(sendLeft, sendRight, left, right, offset, count);
    position = end;
  }

  /**
   * A sung note that starts where the one before it ends (a step's worth either way) carries on its
   * singer's voice; anything else between them, a rest or a breath, and the next note starts afresh.
   */
  private void legato(Note note, Sound sound) {
    if (sound instanceof Singer singer && lastSinger != null
        && Math.abs(note.start() - (lastSung.start() + lastSung.length())) <= Sound.STEP) {
      singer.carryOn(lastSinger, note.start() - lastSung.start());
    }
    lastSinger = sound instanceof Singer singer ? singer : null;
    lastSung = note;
  }

  /** Adds a sound's n samples, rendered from 0 in the scratch buffers, onto its bus at {@code from}. */
  private void place(Playing p, float[] left, float[] right, int from, int n) {
    float[] sa = a, sb = b;
    float al = p.aLeft, ar = p.aRight;
    if (p.wide) {
      float bl = p.bLeft, br = p.bRight;
      for (int i = 0; i < n; i++) {
        left[from + i] += sa[i] * al + sb[i] * bl;
        right[from + i] += sa[i] * ar + sb[i] * br;
      }
    } else {
      for (int i = 0; i < n; i++) {
        left[from + i] += sa[i] * al;
        right[from + i] += sa[i] * ar;
      }
    }
  }

  /** The bus (and so the reverb send) a note plays on; see {@link #SENDS}. */
  private static int bus(Note note) {
    return switch (note.part()) {
      case BASS -> 0;
      case DRUMS -> note.key() == Kit.KICK ? 0 : 1;
      case PIANO, GUITAR, ORGAN, SYNTH -> 2;
      case FLUTE, SAX, BRASS, BELLS, EPIANO -> 3;
      case VOICE -> 4;
      case PAD, STRINGS -> 5;
    };
  }
}
