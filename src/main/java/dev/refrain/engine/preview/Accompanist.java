package dev.refrain.engine.preview;

import java.util.SplittableRandom;

/**
 * Voices the chords for one instrument in its own register: pads and strings hold them, keyboards
 * and guitars play the genre's comping figure, brass stabs, bells twinkle, and winds not leading
 * hold a chord tone in full sections. Sparse sections thin every figure out.
 */
final class Accompanist {
  private static final double[] STRUM_AT = {0, 1, 1.5, 2.5, 3, 3.5};
  private static final boolean[] STRUM_DOWN = {true, true, false, false, true, false};
  private static final String FUNK = "x..x..x...x.x...";
  private static final double[] BOSSA_AT = {0, 1.5, 3};
  /** Seconds between one string of a strum and the next. */
  private static final double STRUM_GAP_SECONDS = 0.012;

  private final Sheet sheet;
  private final Style style;
  private final Passage p;
  private final Part part;
  private final SplittableRandom rng;
  private final double pan;
  private final double level;
  /** How far a club track's pads and strings sit under their usual level: about 8 dB. */
  private static final double CLUB_BED = 0.4;

  private Accompanist(Sheet sheet, Style style, Passage p, Part part, SplittableRandom rng) {
    this.sheet = sheet;
    this.style = style;
    this.p = p;
    this.part = part;
    this.rng = rng;
    this.pan = switch (part) {
      case PIANO -> 0.1;
      case EPIANO -> -0.15;
      case ORGAN -> -0.2;
      case GUITAR -> -0.35;
      case SYNTH -> 0.3;
      case BRASS -> 0.2;
      case BELLS -> 0.35;
      case FLUTE -> 0.25;
      case SAX -> -0.25;
      default -> 0;
    };
    boolean bed = part == Part.PAD || part == Part.STRINGS;
    // In club music the drums and bass carry the track and the sustained beds sit far behind them.
    this.level = (0.55 + 0.1 * p.intensity() + 0.1 * style.energy()) * (bed && style.genre().groove().club() ? CLUB_BED : 1);
  }

  /** Comps through the passage; {@code leading} instruments carry the tune elsewhere and only hold chords lightly. */
  static void play(Sheet sheet, Style style, Passage p, Part part, boolean leading, SplittableRandom rng) {
    Accompanist a = new Accompanist(sheet, style, p, part, rng);
    for (Passage.Timed t : p.chords()) a.chord(t.chord(), t.from(), t.to() - t.from(), leading);
  }

  private void chord(Chord chord, double at, double len, boolean leading) {
    int intensity = p.intensity();
    boolean soloist = style.parts().stream().filter(Part::harmonic).count() == 1;
    switch (part) {
      case PAD -> hold(chord.voicing(55), at, len, 0.5, 0.4);
      case STRINGS -> {
        if (intensity == 0 && style.parts().contains(Part.PAD)) return;
        hold(new int[] {Composer.place(chord.root(), 45)}, at, len, 0.55, 0);
        hold(chord.voicing(57), at, len, 0.5, 0.5);
        if (intensity >= 3) hold(new int[] {chord.voicing(69)[1]}, at, len, 0.4, 0.3);
      }
      case BRASS -> {
        if (intensity < 2 || leading) return;
        int[] keys = chord.voicing(58);
        if (style.genre().comp() == Comp.SUSTAIN) hold(keys, at, len, 0.5, 0.2);
        else {
          block(keys, at, 0.4, 0.8);
          if (intensity >= 3 && len >= 4) block(keys, at + 2.5, 0.4, 0.7);
        }
      }
      case BELLS -> {
        if (intensity < 1 || leading) return;
        int[] keys = chord.voicing(72);
        for (int b = 0; b < len; b += intensity >= 3 ? 1 : 2) note(keys[(b / (intensity >= 3 ? 1 : 2)) % keys.length], at + b, 1.5, 0.45);
      }
      case FLUTE, SAX -> {
        if (intensity < 3 || leading) return;
        hold(new int[] {chord.voicing(part == Part.FLUTE ? 72 : 62)[1]}, at, len, 0.4, 0);
      }
      default -> comp(chord, at, len, leading || intensity <= 1 && !soloist);
    }
    boolean noBass = !style.parts().contains(Part.BASS);
    if (noBass && (part == Part.PIANO || (part == Part.GUITAR && !style.parts().contains(Part.PIANO)))) {
      hold(new int[] {Composer.place(chord.root(), 36)}, at, len, 0.6, 0);
    }
  }

  /** The keyboards' and guitars' figure; {@code thin} for sparse sections and soloists' accompaniment. */
  private void comp(Chord chord, double at, double len, boolean thin) {
    int low = switch (part) {
      case GUITAR -> 52;
      case SYNTH -> 60;
      case EPIANO -> 53;
      default -> 55;
    };
    int[] keys = chord.voicing(low);
    Comp comp = style.genre().comp();
    if (part == Part.ORGAN && comp != Comp.OFFBEAT) comp = Comp.SUSTAIN;
    if (part == Part.SYNTH && comp != Comp.OFFBEAT) comp = p.intensity() >= 2 ? Comp.ARPEGGIO : Comp.SUSTAIN;
    if (part != Part.GUITAR && (comp == Comp.POWER || comp == Comp.STRUM)) comp = Comp.BLOCK;
    if (thin && comp != Comp.ARPEGGIO) comp = Comp.SUSTAIN;
    switch (comp) {
      case SUSTAIN -> {
        if (part == Part.GUITAR) strum(keys, at, len, true, 0.7);
        else hold(keys, at, len, 0.55, 0.1);
      }
      case BLOCK -> {
        for (int b = 0; b < len; b++) block(keys, at + b, 0.9, b % 2 == 0 ? 0.75 : 0.6);
      }
      case ARPEGGIO -> {
        double step = part == Part.SYNTH && style.energy() > 0.7 ? 0.25 : thin ? 1 : 0.5;
        int[] order = {0, 1, 2, 3, 2, 1};
        int[] tones = {keys[0], keys[1], keys[2], keys[0] + 12};
        for (int i = 0; i * step < len - 1e-9; i++) note(tones[order[i % order.length]], at + i * step, step * (part == Part.SYNTH ? 0.8 : 2), i % 2 == 0 ? 0.7 : 0.55);
      }
      case STRUM -> {
        for (int s = 0; s < STRUM_AT.length && STRUM_AT[s] < len; s++) {
          double end = s + 1 < STRUM_AT.length ? STRUM_AT[s + 1] : 4;
          strum(keys, at + STRUM_AT[s], Math.min(end, len) - STRUM_AT[s], STRUM_DOWN[s], s == 0 ? 0.85 : STRUM_DOWN[s] ? 0.75 : 0.6);
        }
      }
      case POWER -> {
        int[] power = {Composer.place(chord.root(), 40), Composer.place(chord.root(), 40) + 7, Composer.place(chord.root(), 40) + 12};
        if (p.intensity() >= 3) {
          for (double b = 0; b < len - 1e-9; b += 1) block(power, at + b, 0.95, 0.85);
        } else {
          for (double b = 0; b < len - 1e-9; b += 0.5) block(power, at + b, 0.3, b % 1 == 0 ? 0.8 : 0.65);
        }
      }
      case OFFBEAT -> {
        for (double b = 0.5; b < len - 1e-9; b += 1) block(keys, at + b, 0.3, 0.7);
      }
      case FUNK -> {
        for (int s = 0; s < len * 4; s++) {
          if (FUNK.charAt(s % 16) != 'x') continue;
          if (part == Part.GUITAR) note(keys[keys.length - 1] + 12, at + s / 4.0, 0.15, s % 4 == 0 ? 0.75 : 0.6);
          else block(keys, at + s / 4.0, 0.2, 0.65);
        }
      }
      case JAZZ -> {
        int[] shell = {keys[1], keys[keys.length - 1]};
        double second = rng.nextBoolean() ? 1.5 : 2.5;
        block(shell, at, 0.9, 0.65);
        if (second < len) block(shell, at + second, 0.45, 0.6);
      }
      case BOSSA -> {
        for (double b = 0; b < len - 1e-9; b += 4) {
          for (double o : BOSSA_AT) {
            if (b + o < len) block(keys, at + b + o, 0.9, o == 0 ? 0.7 : 0.6);
          }
        }
      }
      case WALTZ -> {
        for (int b = 1; b < len; b++) block(keys, at + b, 0.7, 0.6);
      }
    }
  }

  private void hold(int[] keys, double at, double len, double velocity, double spread) {
    for (int i = 0; i < keys.length; i++) {
      double where = keys.length == 1 ? pan : pan - spread + 2 * spread * i / (keys.length - 1);
      sheet.add(at, len, keys[i], velocity * level, where, part, null, p.from(), Math.min(p.to(), at + len));
    }
  }

  private void block(int[] keys, double at, double len, double velocity) {
    for (int key : keys) note(key, at, len, velocity);
  }

  /** Strings sounded one after another, low to high going down, high to low coming up. */
  private void strum(int[] keys, double at, double len, boolean down, double velocity) {
    double gap = STRUM_GAP_SECONDS * style.bpm() / 60;
    for (int i = 0; i < keys.length; i++) {
      int key = keys[down ? i : keys.length - 1 - i];
      sheet.add(at + gap * i, len - gap * i, key, velocity * level * (0.95 + 0.05 * rng.nextDouble()), pan, part, null, p.from(), p.to());
    }
  }

  private void note(int key, double at, double len, double velocity) {
    sheet.add(at, len, key, velocity * level * (0.94 + 0.06 * rng.nextDouble()), pan, part, null, p.from(), p.to());
  }
}
