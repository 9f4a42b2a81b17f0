package dev.refrain.engine.preview;

import java.util.SplittableRandom;

/**
 * The instrument rack: turns a note into the sound of its part, at a level that sits in the mix.
 * Gains are set so that a typical arrangement (drums, bass, a chord part, a pad and the sung line)
 * balances by ear; the mastering stage sets the absolute level later.
 */
final class Voices {
  private static final Subtractive.Patch PAD = new Subtractive.Patch(4, 22, 0, 0, 0, 1400, 0.5, 0.8, 3,
      0.9, 0, 0.25, 4, 1, 0, 1, 0.6, 2, 0.85, 0.9, true);
  private static final Subtractive.Patch STRINGS = new Subtractive.Patch(4, 14, 0, 0, 0, 2600, 0.6, 0.5, 1,
      0.8, 0, 5.5, 12, 0.4, 0, 1, 0.35, 1, 0.9, 0.5, true);
  private static final Subtractive.Patch SYNTH = new Subtractive.Patch(2, 10, 0, 0, 0, 900, 0.7, 2.5, 0.35,
      2.5, 0.3, 5, 8, 0.3, 0, 1, 0.003, 0.5, 0.5, 0.12, false);
  private static final Subtractive.Patch BRASS = new Subtractive.Patch(3, 8, 0, 0, 0, 1100, 0.8, 1.5, 0.4,
      1, 0.4, 5.2, 10, 0.5, 40, 0.04, 0.04, 0.6, 0.8, 0.15, false);
  private static final Subtractive.Patch SAX = new Subtractive.Patch(2, 3, 0.42, 0, 0.12, 1600, 0.5, 1, 0.3,
      1.6, 0.6, 5, 15, 0.3, 30, 0.05, 0.03, 0.5, 0.8, 0.1, false);
  private static final Subtractive.Patch FLUTE = new Subtractive.Patch(0, 0, 0, 1, 0.08, 3500, 0.3, 0, 1,
      0.7, 0.8, 4.8, 12, 0.3, 15, 0.03, 0.06, 0.5, 0.85, 0.12, false);
  private static final Subtractive.Patch BASS = new Subtractive.Patch(1, 0, 0, 1.2, 0, 350, 0.8, 1.5, 0.2,
      1.2, 1.0, 0, 0, 1, 0, 1, 0.004, 0.8, 0.7, 0.06, false);
  private static final Fm.Patch EPIANO = new Fm.Patch(1, 0.45, 0.2, 1.2, 0.25, 0.06, 4.5, 0.3, 4.5, 0.35);
  private static final Fm.Patch BELLS = new Fm.Patch(3.5, 0.5, 0.15, 2.5, 0, 1, 3, 0.8, 0, 0);

  // Named instruments (see Instrument): sustained ones are subtractive, struck ones FM, plucked ones strings.
  // Subtractive: oscillators, detune, pulse, sine, noise, cutoff, keytrack, sweep, sweepTime, resonance, drive,
  // vibratoHz, vibratoCents, vibratoDelay, scoopCents, scoopTime, attack, decay, sustain, release, wide.
  /** One bowed string: a brighter saw with a body resonance and a singer's vibrato. */
  private static final Subtractive.Patch VIOLIN = new Subtractive.Patch(1, 0, 0, 0, 0.02, 3200, 0.7, 0.3, 0.5,
      1.3, 0.1, 5.8, 18, 0.25, 10, 0.05, 0.08, 1, 0.9, 0.25, false);
  private static final Subtractive.Patch CELLO = new Subtractive.Patch(1, 0, 0, 0.2, 0.02, 1400, 0.6, 0.3, 0.6,
      1.2, 0.1, 5.2, 14, 0.3, 8, 0.06, 0.12, 1, 0.9, 0.35, false);
  /** Two strings and a snakeskin: nasal (a high resonance), wide vibrato, sliding into each note. */
  private static final Subtractive.Patch ERHU = new Subtractive.Patch(1, 0, 0, 0, 0.05, 2200, 0.5, 0.4, 0.4,
      2.4, 0.2, 6.5, 35, 0.15, 60, 0.08, 0.06, 1, 0.9, 0.2, false);
  /** Free reeds: beating pairs of pulses. The accordion's musette is wider, the harmonica breathier. */
  private static final Subtractive.Patch ACCORDION = new Subtractive.Patch(3, 18, 0.35, 0, 0.02, 2800, 0.5, 0, 1,
      0.9, 0.2, 0, 0, 1, 0, 1, 0.03, 1, 0.95, 0.08, true);
  private static final Subtractive.Patch HARMONICA = new Subtractive.Patch(2, 6, 0.3, 0, 0.06, 2400, 0.5, 0.5, 0.3,
      1.4, 0.3, 5, 8, 0.2, 20, 0.04, 0.02, 0.6, 0.85, 0.08, false);
  /** A buzzing chanter: driven saws through a sharp resonance, no vibrato, no scoop. */
  private static final Subtractive.Patch BAGPIPES = new Subtractive.Patch(2, 4, 0, 0, 0.03, 3500, 0.4, 0, 1,
      2.5, 0.8, 0, 0, 1, 0, 1, 0.01, 1, 1, 0.05, false);
  /** A cylinder bore: square-ish, odd harmonics. */
  private static final Subtractive.Patch CLARINET = new Subtractive.Patch(1, 0, 0.5, 0.3, 0.03, 1800, 0.5, 0.2, 0.4,
      0.9, 0.1, 5, 4, 0.5, 5, 0.03, 0.04, 0.8, 0.85, 0.1, false);
  /** A double reed: a thin pulse through a nasal resonance. */
  private static final Subtractive.Patch OBOE = new Subtractive.Patch(1, 0, 0.2, 0, 0.03, 2600, 0.5, 0.3, 0.3,
      3, 0.2, 5, 10, 0.3, 8, 0.03, 0.03, 0.8, 0.85, 0.1, false);
  /** Flutes: a sine with breath. Pan pipes breathe most, the shakuhachi slides and bends, the dizi's membrane buzzes. */
  private static final Subtractive.Patch PAN_FLUTE = new Subtractive.Patch(0, 0, 0, 1, 0.25, 2500, 0.3, 0, 1,
      0.7, 0.4, 4, 8, 0.4, 10, 0.05, 0.05, 0.5, 0.8, 0.15, false);
  private static final Subtractive.Patch DIZI = new Subtractive.Patch(1, 0, 0.15, 0.8, 0.15, 4500, 0.4, 0.3, 0.2,
      1.8, 0.5, 6, 20, 0.2, 40, 0.04, 0.03, 0.6, 0.85, 0.1, false);
  private static final Subtractive.Patch SHAKUHACHI = new Subtractive.Patch(0, 0, 0, 1, 0.55, 1200, 0.3, 0.5, 0.4,
      0.8, 0.3, 4.5, 30, 0.4, 120, 0.2, 0.15, 0.8, 0.75, 0.3, false);
  private static final Subtractive.Patch TIN_WHISTLE = new Subtractive.Patch(0, 0, 0, 1, 0.05, 6000, 0.3, 0, 1,
      0.7, 0.6, 6, 10, 0.15, 25, 0.02, 0.02, 0.4, 0.85, 0.06, false);
  /** A duct flute: hollower than a flute (a soft square under the sine), steady, no vibrato. */
  private static final Subtractive.Patch RECORDER = new Subtractive.Patch(1, 0, 0.5, 0.7, 0.06, 1500, 0.3, 0, 1,
      0.7, 0.2, 0, 0, 1, 5, 0.02, 0.03, 0.5, 0.85, 0.08, false);
  /** Brass: a saw whose filter opens with the breath; the trombone slides, the horn is dark and slow. */
  private static final Subtractive.Patch TRUMPET = new Subtractive.Patch(1, 0, 0, 0, 0.02, 1500, 0.9, 2, 0.3,
      1.2, 0.6, 5.5, 8, 0.4, 30, 0.03, 0.03, 0.6, 0.8, 0.1, false);
  private static final Subtractive.Patch TROMBONE = new Subtractive.Patch(1, 0, 0, 0, 0.02, 800, 0.8, 1.5, 0.5,
      1, 0.5, 5, 6, 0.5, 60, 0.08, 0.06, 0.7, 0.8, 0.15, false);
  private static final Subtractive.Patch FRENCH_HORN = new Subtractive.Patch(2, 4, 0, 0.3, 0, 600, 0.7, 1, 0.6,
      0.8, 0.2, 5, 5, 0.5, 15, 0.06, 0.09, 1, 0.85, 0.3, false);
  private static final Subtractive.Patch TUBA = new Subtractive.Patch(1, 0, 0, 0.5, 0, 400, 0.6, 1, 0.4,
      0.9, 0.4, 0, 0, 1, 20, 0.05, 0.05, 0.5, 0.8, 0.1, false);
  /** The 808: a sine that drops a little into its note and rings long, driven. */
  private static final Subtractive.Patch SUB_808 = new Subtractive.Patch(0, 0, 0, 1.4, 0, 300, 0.5, 0, 1,
      0.7, 0.6, 0, 0, 1, -200, 0.03, 0.002, 1.5, 0.4, 0.2, false);
  // Fm: ratio, index, floor, indexTime, ping, pingTime, decay, release, tremoloHz, tremolo.
  private static final Fm.Patch MARIMBA = new Fm.Patch(4, 0.8, 0, 0.15, 0.3, 0.02, 0.8, 0.3, 0, 0);
  private static final Fm.Patch VIBRAPHONE = new Fm.Patch(4, 0.4, 0.1, 1, 0, 1, 4, 1, 5.5, 0.4);
  private static final Fm.Patch XYLOPHONE = new Fm.Patch(3, 1.2, 0, 0.08, 0.5, 0.01, 0.4, 0.1, 0, 0);
  private static final Fm.Patch GLOCKENSPIEL = new Fm.Patch(2.76, 0.6, 0.2, 1.5, 0.2, 0.02, 2.5, 1, 0, 0);
  private static final Fm.Patch MUSIC_BOX = new Fm.Patch(5.4, 0.7, 0.1, 0.5, 0.4, 0.01, 1.6, 0.8, 0, 0);
  private static final Fm.Patch CELESTA = new Fm.Patch(1, 0.6, 0.15, 0.8, 0.15, 0.02, 2, 0.6, 0, 0);
  private static final Fm.Patch KALIMBA = new Fm.Patch(5.9, 0.9, 0, 0.12, 0.2, 0.02, 1.2, 0.4, 0, 0);
  private static final Fm.Patch STEEL_DRUM = new Fm.Patch(2, 1.5, 0.3, 0.3, 0, 1, 1.5, 0.4, 0, 0);

  /** A plucked instrument: where its strings are plucked, how long they ring (a guitar's = 1), how bright. */
  private record Plucked(double pick, double sustain, double brightness) {}

  private static final Plucked BANJO = new Plucked(0.1, 0.35, 0.95);
  private static final Plucked MANDOLIN = new Plucked(0.15, 0.5, 0.85);
  private static final Plucked UKULELE = new Plucked(0.25, 0.4, 0.6);
  private static final Plucked HARP = new Plucked(0.5, 1.5, 0.45);
  private static final Plucked SITAR = new Plucked(0.08, 1.8, 1);
  private static final Plucked KOTO = new Plucked(0.12, 1, 0.8);
  private static final Plucked GUZHENG = new Plucked(0.1, 1.4, 0.85);
  private static final Plucked PIPA = new Plucked(0.1, 0.6, 0.9);
  private static final Plucked SHAMISEN = new Plucked(0.06, 0.3, 1);
  private static final Plucked OUD = new Plucked(0.3, 0.7, 0.45);
  private static final Plucked HARPSICHORD = new Plucked(0.07, 0.9, 0.95);
  private static final Plucked CLAVINET = new Plucked(0.05, 0.25, 1);
  private static final Plucked UPRIGHT_BASS = new Plucked(0.3, 0.6, 0.2);
  /** Gut-soft nylon, plucked with the flesh of the thumb over the sound hole: round, few highs. */
  private static final Plucked NYLON_GUITAR = new Plucked(0.35, 0.9, 0.15);
  /** A steel string thumbed hard near the bridge, snapping against the frets: bright and short. */
  private static final Plucked SLAP_BASS = new Plucked(0.06, 0.45, 1);
  /**
   * The 808's level: a sine has no harmonics for the ear to hear it by, so it plays louder than a bass
   * guitar to weigh as much; in the club music it belongs to it is the loudest thing in the mix.
   */
  private static final double SUB_GAIN = 0.8;
  /** How hard a full-velocity note drives the amp's clipper: a rock crunch, not a metal wall. */
  private static final double AMP_DRIVE = 12;
  /** A 12-inch guitar speaker rolls off above this, fast. */
  private static final double CABINET_HZ = 5500;
  /** Gut strings and a big wooden body: an upright bass's tone is its first few partials, with little above this. */
  private static final double UPRIGHT_BODY_HZ = 350;
  /** Above this a nylon string thumbed over the sound hole has little left: the warmth of bossa nova and classical guitar. */
  private static final double NYLON_BODY_HZ = 1500;
  /**
   * How hard a note may be struck once brightness is added: the softest still speaks, the hardest a
   * quarter past full velocity, where a piano's upper partials stop falling faster than 1/k.
   */
  private static final double MIN_STRIKE = 0.02;
  private static final double MAX_STRIKE = 1.25;
  /** The organ's rotor turns once every 1.25 s. */
  private static final double ROTOR_HZ = 0.8;

  /** What a choir sings: an open "ah", and lower down a rounder "aw". */
  private static final Syllable OPEN = Syllable.of(Phoneme.AA, true);
  private static final Syllable ROUND = Syllable.of(Phoneme.AO, true);
  /** A woman's formants against a man's: about 17 % higher, from a shorter vocal tract. */
  private static final double FEMALE_TRACT = 1.17;

  private Voices() {}

  /**
   * The note's sound. {@code brightness} is added to how hard it is struck, which is what opens each
   * instrument's tone (filters, modulation, upper partials, the pick's noise), while its loudness
   * stays with its velocity; the kit's top end plays louder or softer by 2^(2 × brightness). The bass
   * keeps its tone: its harmonics lie below where brightness is heard, so opening it would only
   * thicken the low mids. 0 plays every note as written.
   */
  static Sound sound(Note note, Instrument instrument, int rate, double brightness, SplittableRandom rng) {
    double hz = Wave.hz(note.key());
    double v = note.velocity();
    double s = Math.clamp(v + brightness, MIN_STRIKE, MAX_STRIKE);
    int gate = note.length();
    long seed = rng.nextLong();
    if (note.part() == Part.VOICE) return voice(note, instrument, hz, rate, gate, v, seed);
    if (instrument != null && note.part() != Part.DRUMS) return named(instrument, hz, rate, gate, v, s, seed);
    return switch (note.part()) {
      case PAD -> new Subtractive(PAD, hz, rate, gate, s, 0.3 * v, seed);
      case STRINGS -> new Subtractive(STRINGS, hz, rate, gate, s, 0.3 * v, seed);
      case SYNTH -> new Subtractive(SYNTH, hz, rate, gate, s, 0.45 * v, seed);
      case BRASS -> new Subtractive(BRASS, hz, rate, gate, s, 0.45 * v, seed);
      case SAX -> new Subtractive(SAX, hz, rate, gate, s, 0.28 * v, seed);
      case FLUTE -> new Subtractive(FLUTE, hz, rate, gate, s, 0.27 * v, seed);
      case BASS -> new Subtractive(BASS, hz, rate, gate, v, 0.4 * v, seed);
      case PIANO -> new Piano(hz, rate, Math.max(gate, rate / 20), s, 0.3 * v, seed);
      case EPIANO -> new Fm(EPIANO, hz, rate, Math.max(gate, rate / 20), s, 0.3 * v, rotor(note, rate, EPIANO.tremoloHz()));
      case BELLS -> new Fm(BELLS, hz, rate, Math.max(gate, rate / 10), s, 0.3 * v, 0);
      case ORGAN -> new Organ(hz, rate, gate, 0.2 * (0.6 + 0.4 * v), rotor(note, rate, ROTOR_HZ), seed);
      case GUITAR -> new Pluck(hz, rate, gate, Math.min(1, 0.3 + 0.6 * s), 0.6 * v, seed, Pluck.GUITAR_PICK, 1);
      case VOICE -> throw new AssertionError("sung by voice()");
      case DRUMS -> Drum.of(note.key(), rate, 0.85 * v * (Kit.top(note.key()) ? StrictMath.pow(2, 2 * brightness) : 1), seed);
    };
  }

  /** The note on a named instrument, at about the level of the part's own sound, in the instrument's own octave. */
  private static Sound named(Instrument instrument, double written, int rate, int gate, double v, double s, long seed) {
    int struck = Math.max(gate, rate / 10);
    // Where each sounds against its part's register: whistles and glockenspiels an octave up, the cello one down.
    double hz = written * switch (instrument) {
      case TIN_WHISTLE, DIZI, GLOCKENSPIEL, MUSIC_BOX -> 2;
      case CELLO -> 0.5;
      default -> 1;
    };
    return switch (instrument) {
      case VIOLIN -> new Subtractive(VIOLIN, hz, rate, gate, s, 0.32 * v, seed);
      case CELLO -> new Subtractive(CELLO, hz, rate, gate, s, 0.34 * v, seed);
      case ERHU -> new Subtractive(ERHU, hz, rate, gate, s, 0.3 * v, seed);
      case ACCORDION -> new Subtractive(ACCORDION, hz, rate, gate, s, 0.22 * v, seed);
      case HARMONICA -> new Subtractive(HARMONICA, hz, rate, gate, s, 0.26 * v, seed);
      case BAGPIPES -> new Subtractive(BAGPIPES, hz, rate, gate, s, 0.2 * v, seed);
      case CLARINET -> new Subtractive(CLARINET, hz, rate, gate, s, 0.3 * v, seed);
      case OBOE -> new Subtractive(OBOE, hz, rate, gate, s, 0.26 * v, seed);
      case PAN_FLUTE -> new Subtractive(PAN_FLUTE, hz, rate, gate, s, 0.3 * v, seed);
      case DIZI -> new Subtractive(DIZI, hz, rate, gate, s, 0.27 * v, seed);
      case SHAKUHACHI -> new Subtractive(SHAKUHACHI, hz, rate, gate, s, 0.3 * v, seed);
      case TIN_WHISTLE -> new Subtractive(TIN_WHISTLE, hz, rate, gate, s, 0.24 * v, seed);
      case RECORDER -> new Subtractive(RECORDER, hz, rate, gate, s, 0.27 * v, seed);
      case TRUMPET -> new Subtractive(TRUMPET, hz, rate, gate, s, 0.4 * v, seed);
      case TROMBONE -> new Subtractive(TROMBONE, hz, rate, gate, s, 0.45 * v, seed);
      case FRENCH_HORN -> new Subtractive(FRENCH_HORN, hz, rate, gate, s, 0.45 * v, seed);
      case TUBA -> new Subtractive(TUBA, hz, rate, gate, v, 0.45 * v, seed);
      case SUB_808 -> new Subtractive(SUB_808, hz, rate, gate, v, SUB_GAIN * v, seed);
      case MARIMBA -> new Fm(MARIMBA, hz, rate, struck, s, 0.35 * v, 0);
      case VIBRAPHONE -> new Fm(VIBRAPHONE, hz, rate, struck, s, 0.3 * v, 0);
      case XYLOPHONE -> new Fm(XYLOPHONE, hz, rate, struck, s, 0.3 * v, 0);
      case GLOCKENSPIEL -> new Fm(GLOCKENSPIEL, hz, rate, struck, s, 0.22 * v, 0);
      case MUSIC_BOX -> new Fm(MUSIC_BOX, hz, rate, struck, s, 0.25 * v, 0);
      case CELESTA -> new Fm(CELESTA, hz, rate, struck, s, 0.28 * v, 0);
      case KALIMBA -> new Fm(KALIMBA, hz, rate, struck, s, 0.32 * v, 0);
      case STEEL_DRUM -> new Fm(STEEL_DRUM, hz, rate, struck, s, 0.28 * v, 0);
      case BANJO -> pluck(BANJO, hz, rate, gate, s, 0.6 * v, seed);
      case MANDOLIN -> pluck(MANDOLIN, hz, rate, gate, s, 0.6 * v, seed);
      case UKULELE -> pluck(UKULELE, hz, rate, gate, s, 0.6 * v, seed);
      case HARP -> pluck(HARP, hz, rate, gate, s, 0.7 * v, seed);
      case SITAR -> pluck(SITAR, hz, rate, gate, s, 0.55 * v, seed);
      case KOTO -> pluck(KOTO, hz, rate, gate, s, 0.6 * v, seed);
      case GUZHENG -> pluck(GUZHENG, hz, rate, gate, s, 0.6 * v, seed);
      case PIPA -> pluck(PIPA, hz, rate, gate, s, 0.6 * v, seed);
      case SHAMISEN -> pluck(SHAMISEN, hz, rate, gate, s, 0.6 * v, seed);
      case OUD -> pluck(OUD, hz, rate, gate, s, 0.65 * v, seed);
      case HARPSICHORD -> pluck(HARPSICHORD, hz, rate, Math.max(gate, rate / 20), s, 0.45 * v, seed);
      case CLAVINET -> pluck(CLAVINET, hz, rate, gate, s, 0.5 * v, seed);
      case UPRIGHT_BASS -> new Filtered(pluck(UPRIGHT_BASS, hz, rate, gate, v, 0.9 * v, seed), rate, UPRIGHT_BODY_HZ);
      case SLAP_BASS -> pluck(SLAP_BASS, hz, rate, gate, v, 0.8 * v, seed);
      case NYLON_GUITAR -> new Filtered(pluck(NYLON_GUITAR, hz, rate, gate, s, 0.7 * v, seed), rate, NYLON_BODY_HZ);
      case ELECTRIC_GUITAR -> new Filtered(new Overdrive(new Pluck(hz, rate, gate, Math.clamp(0.3 + 0.6 * s, 0.05, 1), 0.6 * v, seed, Pluck.GUITAR_PICK, 1.5),
          AMP_DRIVE * v),
          rate, CABINET_HZ);
      case CHOIR -> new Singer(hz, rate, hz < 300 ? ROUND : OPEN, gate, 0.5 * v, seed);
      case MALE_VOICE, FEMALE_VOICE -> throw new AssertionError("sung by voice()");
      case BRUSHES -> throw new AssertionError("the kit's own sounds, by key");
    };
  }

  /**
   * The singer. The written line lies where a tenor or an alto sings it; a man named sings it an
   * octave down, a woman as written with a shorter vocal tract, so her formants sit higher.
   */
  private static Sound voice(Note note, Instrument instrument, double written, int rate, int gate, double v, long seed) {
    if (note.syllable() == Syllable.BREATH) return new Breath(rate, gate, 0.05 * v, seed);
    Syllable sung = note.syllable() == null ? OPEN : note.syllable();
    double hz = instrument == Instrument.MALE_VOICE ? written / 2 : written;
    double tract = instrument == Instrument.FEMALE_VOICE ? FEMALE_TRACT : 1;
    return new Singer(hz, rate, sung, gate, 1.2 * v, seed, tract);
  }

  /** Struck harder, a plucked string starts brighter, within what the instrument allows. */
  private static Sound pluck(Plucked p, double hz, int rate, int gate, double strike, double gain, long seed) {
    return new Pluck(hz, rate, gate, Math.clamp(p.brightness() * (0.6 + 0.4 * strike), 0.05, 1), gain, seed, p.pick(), p.sustain());
  }

  /** The phase a free-running modulator has reached at the note's start, so all notes swing together. */
  private static double rotor(Note note, int rate, double hz) {
    double cycles = note.start() * hz / rate;
    return cycles - StrictMath.floor(cycles);
  }
}
