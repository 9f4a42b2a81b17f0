package dev.refrain.engine.preview;

import static dev.refrain.engine.preview.Part.BASS;
import static dev.refrain.engine.preview.Part.BELLS;
import static dev.refrain.engine.preview.Part.BRASS;
import static dev.refrain.engine.preview.Part.DRUMS;
import static dev.refrain.engine.preview.Part.EPIANO;
import static dev.refrain.engine.preview.Part.FLUTE;
import static dev.refrain.engine.preview.Part.GUITAR;
import static dev.refrain.engine.preview.Part.ORGAN;
import static dev.refrain.engine.preview.Part.PAD;
import static dev.refrain.engine.preview.Part.PIANO;
import static dev.refrain.engine.preview.Part.SAX;
import static dev.refrain.engine.preview.Part.STRINGS;
import static dev.refrain.engine.preview.Part.SYNTH;

import java.util.List;

/**
 * What a genre brings: its tempo range, meter, swing, how often it is in minor, its band (the first
 * melodic instrument leads), and how its drums, bass, chords and comping go.
 *
 * @param words the phrases that name it, several words allowed ("drum and bass")
 * @param swing how far off-beats lean toward the triplet, 0 straight to 1 full triplet swing
 * @param swing16 whether the sixteenths swing rather than the eighths
 * @param energy 0 still to 1 flat out: how busy and loud the band plays
 * @param instruments who plays some of the band's parts (an erhu the lead, a guzheng the comping), unless the prompt names others
 * @param scale the scale its tunes keep to, unless the prompt names one; null for the key's own major or minor
 */
record Genre(String name, List<String> words, int slowest, int fastest, int beatsPerBar, double swing, boolean swing16,
    double minorOdds, List<Part> band, Groove groove, BassLine bass, Comp comp, Harmony harmony, double energy,
    List<Instrument> instruments, Scale scale) {

  /** A genre whose band's parts are played by their own sounds, in major or minor. */
  Genre(String name, List<String> words, int slowest, int fastest, int beatsPerBar, double swing, boolean swing16,
      double minorOdds, List<Part> band, Groove groove, BassLine bass, Comp comp, Harmony harmony, double energy) {
    this(name, words, slowest, fastest, beatsPerBar, swing, swing16, minorOdds, band, groove, bass, comp, harmony, energy, List.of(),
        null);
  }

  static final List<Genre> TABLE = List.of(
      new Genre("pop", List.of("pop", "k pop", "kpop", "j pop", "jpop", "dance pop", "synthpop", "synth pop"), 96, 124, 4, 0, false, 0.3,
          List.of(DRUMS, BASS, SYNTH, PIANO, PAD, GUITAR), Groove.POP, BassLine.EIGHTHS, Comp.BLOCK, Harmony.POP, 0.6),
      new Genre("rock", List.of("rock", "hard rock", "alternative", "alt rock", "grunge", "garage"), 110, 140, 4, 0, false, 0.35,
          List.of(DRUMS, BASS, GUITAR, ORGAN), Groove.ROCK, BassLine.EIGHTHS, Comp.POWER, Harmony.ROCK, 0.75,
          List.of(Instrument.ELECTRIC_GUITAR), null),
      new Genre("indie", List.of("indie", "indie rock", "indie pop", "shoegaze"), 100, 128, 4, 0, false, 0.4,
          List.of(DRUMS, BASS, GUITAR, SYNTH, PAD), Groove.POP, BassLine.EIGHTHS, Comp.STRUM, Harmony.POP, 0.6),
      new Genre("punk", List.of("punk", "pop punk", "punk rock", "hardcore"), 160, 190, 4, 0, false, 0.3,
          List.of(DRUMS, BASS, GUITAR), Groove.PUNK, BassLine.EIGHTHS, Comp.POWER, Harmony.ROCK, 0.95,
          List.of(Instrument.ELECTRIC_GUITAR), null),
      new Genre("metal", List.of("metal", "heavy metal", "thrash", "metalcore", "death metal"), 120, 170, 4, 0, false, 0.9,
          List.of(DRUMS, BASS, GUITAR), Groove.METAL, BassLine.EIGHTHS, Comp.POWER, Harmony.ROCK, 1,
          List.of(Instrument.ELECTRIC_GUITAR), null),
      new Genre("jazz", List.of("jazz", "bebop", "jazzy", "smooth jazz"), 110, 170, 4, 0.75, false, 0.3,
          List.of(DRUMS, BASS, PIANO, SAX, BRASS), Groove.JAZZ, BassLine.WALKING, Comp.JAZZ, Harmony.JAZZ, 0.5),
      // A trio is piano, bass and drums: no horns.
      new Genre("jazz trio", List.of("jazz trio", "piano trio", "jazz piano trio"), 100, 160, 4, 0.75, false, 0.3,
          List.of(DRUMS, BASS, PIANO), Groove.JAZZ, BassLine.WALKING, Comp.JAZZ, Harmony.JAZZ, 0.45, List.of(Instrument.UPRIGHT_BASS), null),
      new Genre("swing", List.of("swing", "big band", "swing jazz"), 140, 190, 4, 0.8, false, 0.2,
          List.of(DRUMS, BASS, BRASS, SAX, PIANO), Groove.JAZZ, BassLine.WALKING, Comp.JAZZ, Harmony.JAZZ, 0.7),
      new Genre("blues", List.of("blues", "bluesy", "delta blues", "blues rock"), 70, 110, 4, 0.7, false, 0.2,
          List.of(DRUMS, BASS, GUITAR, PIANO, ORGAN), Groove.SHUFFLE, BassLine.BOOGIE, Comp.BLOCK, Harmony.BLUES, 0.55),
      new Genre("funk", List.of("funk", "funky", "p funk"), 96, 118, 4, 0.2, true, 0.5,
          List.of(DRUMS, BASS, GUITAR, EPIANO, BRASS), Groove.FUNK, BassLine.SYNCOPATED, Comp.FUNK, Harmony.FUNK, 0.8,
          List.of(Instrument.SLAP_BASS, Instrument.CLAVINET), null),
      new Genre("soul", List.of("soul", "motown", "neo soul", "neosoul"), 70, 100, 4, 0.3, false, 0.3,
          List.of(DRUMS, BASS, ORGAN, EPIANO, BRASS, STRINGS), Groove.POP, BassLine.ROOT_FIFTH, Comp.BLOCK, Harmony.SOUL, 0.5),
      new Genre("r&b", List.of("r&b", "r and b", "rnb", "r n b", "rhythm and blues"), 64, 96, 4, 0.4, true, 0.5,
          List.of(DRUMS, BASS, EPIANO, PAD, SYNTH), Groove.RNB, BassLine.SUB, Comp.SUSTAIN, Harmony.SOUL, 0.45),
      new Genre("hip hop", List.of("hip hop", "hiphop", "hip-hop", "rap", "boom bap", "boombap"), 84, 98, 4, 0.5, true, 0.65,
          List.of(DRUMS, BASS, PIANO, PAD, STRINGS), Groove.BOOM_BAP, BassLine.ROOT, Comp.BLOCK, Harmony.LOOP, 0.6),
      new Genre("trap", List.of("trap", "drill"), 130, 150, 4, 0, false, 0.85,
          List.of(DRUMS, BASS, BELLS, PAD, SYNTH), Groove.TRAP, BassLine.SUB, Comp.SUSTAIN, Harmony.LOOP, 0.7),
      new Genre("lo-fi", List.of("lofi", "lo fi", "lo-fi", "chillhop", "lofi hip hop", "lo fi hip hop"), 70, 90, 4, 0.55, true, 0.5,
          List.of(DRUMS, BASS, EPIANO, PIANO, PAD), Groove.BOOM_BAP, BassLine.ROOT, Comp.SUSTAIN, Harmony.SOUL, 0.3),
      new Genre("house", List.of("house", "deep house", "tech house", "garage house"), 120, 128, 4, 0, false, 0.5,
          List.of(DRUMS, BASS, PIANO, SYNTH, PAD, ORGAN), Groove.FOUR_ON_THE_FLOOR, BassLine.OFFBEAT, Comp.OFFBEAT, Harmony.EDM, 0.75),
      new Genre("techno", List.of("techno", "minimal techno", "industrial"), 124, 138, 4, 0, false, 0.85,
          List.of(DRUMS, BASS, SYNTH, PAD), Groove.TECHNO, BassLine.OFFBEAT, Comp.OFFBEAT, Harmony.MODAL, 0.8),
      new Genre("trance", List.of("trance", "psytrance", "uplifting trance"), 132, 140, 4, 0, false, 0.75,
          List.of(DRUMS, BASS, SYNTH, PAD, STRINGS), Groove.FOUR_ON_THE_FLOOR, BassLine.OFFBEAT, Comp.ARPEGGIO, Harmony.EDM, 0.85),
      new Genre("drum and bass", List.of("drum and bass", "drum n bass", "drum & bass", "drum bass", "dnb", "d and b", "jungle", "liquid dnb"),
          165, 180, 4, 0, false, 0.8,
          List.of(DRUMS, BASS, PAD, SYNTH, STRINGS), Groove.BREAKBEAT, BassLine.SUB, Comp.SUSTAIN, Harmony.EDM, 0.85,
          List.of(Instrument.SUB_808), null),
      new Genre("dubstep", List.of("dubstep", "brostep", "riddim"), 138, 142, 4, 0, false, 0.9,
          List.of(DRUMS, BASS, SYNTH, PAD), Groove.HALF_TIME, BassLine.SYNCOPATED, Comp.SUSTAIN, Harmony.LOOP, 0.9),
      new Genre("edm", List.of("edm", "electronic", "electro", "dance", "club", "future bass", "big room"), 124, 130, 4, 0, false, 0.5,
          List.of(DRUMS, BASS, SYNTH, PAD, PIANO), Groove.FOUR_ON_THE_FLOOR, BassLine.OFFBEAT, Comp.OFFBEAT, Harmony.EDM, 0.85),
      new Genre("disco", List.of("disco", "nu disco", "funky disco"), 112, 124, 4, 0, false, 0.35,
          List.of(DRUMS, BASS, STRINGS, GUITAR, BRASS, PIANO), Groove.DISCO, BassLine.OCTAVES, Comp.FUNK, Harmony.POP, 0.8),
      new Genre("reggae", List.of("reggae", "dub", "ska", "roots reggae", "dancehall"), 66, 84, 4, 0.3, false, 0.35,
          List.of(DRUMS, BASS, ORGAN, GUITAR), Groove.ONE_DROP, BassLine.REGGAE, Comp.OFFBEAT, Harmony.REGGAE, 0.5),
      new Genre("bossa nova", List.of("bossa nova", "bossa", "bossanova", "samba"), 120, 140, 4, 0, false, 0.4,
          List.of(DRUMS, BASS, GUITAR, FLUTE, PIANO), Groove.BOSSA, BassLine.BOSSA, Comp.BOSSA, Harmony.JAZZ, 0.4,
          List.of(Instrument.NYLON_GUITAR), null),
      new Genre("latin", List.of("latin", "salsa", "cumbia", "reggaeton"), 95, 120, 4, 0, false, 0.55,
          List.of(DRUMS, BASS, PIANO, BRASS, GUITAR), Groove.LATIN, BassLine.BOSSA, Comp.BOSSA, Harmony.FOLK, 0.7),
      new Genre("country", List.of("country", "americana", "country rock"), 90, 120, 4, 0, false, 0.15,
          List.of(DRUMS, BASS, GUITAR, PIANO), Groove.COUNTRY, BassLine.ROOT_FIFTH, Comp.STRUM, Harmony.FOLK, 0.55),
      new Genre("folk", List.of("folk", "acoustic", "singer songwriter", "indie folk"), 80, 110, 4, 0, false, 0.35,
          List.of(DRUMS, BASS, GUITAR, FLUTE, STRINGS), Groove.BALLAD, BassLine.ROOT_FIFTH, Comp.ARPEGGIO, Harmony.FOLK, 0.35),
      new Genre("classical", List.of("classical", "orchestral", "orchestra", "symphonic", "chamber", "string quartet"), 70, 110, 4, 0, false, 0.4,
          List.of(STRINGS, PIANO, FLUTE, BRASS), Groove.NONE, BassLine.PEDAL, Comp.ARPEGGIO, Harmony.CLASSICAL, 0.35),
      new Genre("ambient", List.of("ambient", "drone", "new age", "soundscape", "atmospheric", "meditation"), 60, 80, 4, 0, false, 0.45,
          List.of(PAD, BELLS, STRINGS), Groove.NONE, BassLine.PEDAL, Comp.SUSTAIN, Harmony.MODAL, 0.1),
      new Genre("cinematic", List.of("cinematic", "film score", "soundtrack", "epic orchestral", "trailer", "score"), 70, 100, 4, 0, false, 0.7,
          List.of(DRUMS, STRINGS, BRASS, PAD, PIANO), Groove.CINEMATIC, BassLine.PEDAL, Comp.SUSTAIN, Harmony.CINEMATIC, 0.6),
      new Genre("synthwave", List.of("synthwave", "retrowave", "outrun", "80s", "eighties", "vaporwave"), 80, 118, 4, 0, false, 0.7,
          List.of(DRUMS, BASS, SYNTH, PAD), Groove.SYNTHWAVE, BassLine.EIGHTHS, Comp.ARPEGGIO, Harmony.EDM, 0.65),
      new Genre("gospel", List.of("gospel", "worship", "spiritual"), 70, 110, 4, 0.4, false, 0.1,
          List.of(DRUMS, BASS, ORGAN, PIANO), Groove.SHUFFLE, BassLine.ROOT_FIFTH, Comp.BLOCK, Harmony.GOSPEL, 0.55),
      new Genre("waltz", List.of("waltz", "viennese waltz"), 84, 120, 3, 0, false, 0.3,
          List.of(DRUMS, BASS, STRINGS, PIANO), Groove.WALTZ, BassLine.ROOT, Comp.WALTZ, Harmony.CLASSICAL, 0.4),
      new Genre("ballad", List.of("ballad", "power ballad", "love song"), 60, 80, 4, 0, false, 0.35,
          List.of(DRUMS, BASS, PIANO, STRINGS, PAD), Groove.BALLAD, BassLine.ROOT, Comp.ARPEGGIO, Harmony.POP, 0.3),
      // Traditions whose sound is their instruments: each names who plays its lead and comping.
      new Genre("chinese traditional", List.of("chinese traditional", "chinese", "guofeng", "chinese folk"), 66, 96, 4, 0, false, 0.3,
          List.of(FLUTE, GUITAR, PAD), Groove.NONE, BassLine.PEDAL, Comp.ARPEGGIO, Harmony.FOLK, 0.3,
          List.of(Instrument.ERHU, Instrument.GUZHENG), Scale.PENTATONIC),
      new Genre("japanese traditional", List.of("japanese traditional", "japanese", "wafu", "gagaku"), 60, 90, 4, 0, false, 0.7,
          List.of(FLUTE, GUITAR, PAD), Groove.NONE, BassLine.PEDAL, Comp.ARPEGGIO, Harmony.MODAL, 0.25,
          List.of(Instrument.SHAKUHACHI, Instrument.KOTO), Scale.IN),
      new Genre("indian classical", List.of("indian classical", "indian", "raga", "hindustani", "bollywood"), 70, 110, 4, 0, false, 0.5,
          List.of(DRUMS, GUITAR, ORGAN, FLUTE), Groove.BALLAD, BassLine.PEDAL, Comp.ARPEGGIO, Harmony.MODAL, 0.45,
          List.of(Instrument.SITAR, Instrument.ACCORDION, Instrument.DIZI), Scale.DOUBLE_HARMONIC),
      new Genre("middle eastern", List.of("middle eastern", "arabic", "arabian", "persian", "turkish"), 80, 110, 4, 0, false, 0.9,
          List.of(DRUMS, GUITAR, STRINGS, FLUTE), Groove.LATIN, BassLine.PEDAL, Comp.ARPEGGIO, Harmony.MODAL, 0.5,
          List.of(Instrument.OUD, Instrument.VIOLIN, Instrument.PAN_FLUTE), Scale.HIJAZ),
      new Genre("celtic", List.of("celtic", "irish", "scottish", "irish folk", "jig", "reel"), 100, 130, 4, 0, false, 0.35,
          List.of(DRUMS, BASS, FLUTE, STRINGS, GUITAR), Groove.COUNTRY, BassLine.ROOT_FIFTH, Comp.STRUM, Harmony.FOLK, 0.6,
          List.of(Instrument.TIN_WHISTLE, Instrument.VIOLIN, Instrument.HARP), Scale.MIXOLYDIAN),
      new Genre("bluegrass", List.of("bluegrass", "appalachian", "hillbilly"), 110, 140, 4, 0, false, 0.15,
          List.of(BASS, GUITAR, STRINGS), Groove.COUNTRY, BassLine.ROOT_FIFTH, Comp.STRUM, Harmony.FOLK, 0.7,
          List.of(Instrument.BANJO, Instrument.VIOLIN, Instrument.UPRIGHT_BASS), Scale.PENTATONIC),
      new Genre("tango", List.of("tango", "nuevo tango", "milonga"), 110, 130, 4, 0, false, 0.85,
          List.of(BASS, ORGAN, STRINGS, PIANO), Groove.LATIN, BassLine.ROOT, Comp.BLOCK, Harmony.CLASSICAL, 0.6,
          List.of(Instrument.ACCORDION, Instrument.VIOLIN, Instrument.UPRIGHT_BASS), Scale.HARMONIC_MINOR),
      new Genre("flamenco", List.of("flamenco", "rumba flamenca", "spanish guitar"), 100, 130, 4, 0, false, 0.9,
          List.of(DRUMS, GUITAR), Groove.LATIN, BassLine.ROOT, Comp.STRUM, Harmony.FOLK, 0.7, List.of(), Scale.PHRYGIAN),
      new Genre("klezmer", List.of("klezmer", "balkan", "gypsy"), 100, 140, 4, 0, false, 0.9,
          List.of(DRUMS, BASS, FLUTE, STRINGS, ORGAN), Groove.COUNTRY, BassLine.ROOT_FIFTH, Comp.OFFBEAT, Harmony.FOLK, 0.7,
          List.of(Instrument.CLARINET, Instrument.VIOLIN, Instrument.ACCORDION), Scale.HIJAZ),
      new Genre("calypso", List.of("calypso", "soca", "caribbean", "steel band"), 100, 125, 4, 0, false, 0.1,
          List.of(DRUMS, BASS, BELLS, GUITAR), Groove.LATIN, BassLine.SYNCOPATED, Comp.OFFBEAT, Harmony.POP, 0.65,
          List.of(Instrument.STEEL_DRUM), null),
      new Genre("afrobeat", List.of("afrobeat", "afrobeats", "highlife", "african"), 100, 120, 4, 0.1, true, 0.4,
          List.of(DRUMS, BASS, GUITAR, BELLS, BRASS), Groove.FUNK, BassLine.SYNCOPATED, Comp.FUNK, Harmony.FUNK, 0.75,
          List.of(Instrument.KALIMBA, Instrument.TRUMPET), Scale.PENTATONIC),
      new Genre("baroque", List.of("baroque", "bach", "vivaldi", "harpsichord music"), 90, 120, 4, 0, false, 0.4,
          List.of(PIANO, STRINGS, FLUTE), Groove.NONE, BassLine.WALKING, Comp.ARPEGGIO, Harmony.CLASSICAL, 0.4,
          List.of(Instrument.HARPSICHORD, Instrument.RECORDER, Instrument.CELLO), null));

  /** The genre named {@code name} in the table. */
  static Genre named(String name) {
    return TABLE.stream().filter(g -> g.name.equals(name)).findFirst().orElseThrow();
  }

}
