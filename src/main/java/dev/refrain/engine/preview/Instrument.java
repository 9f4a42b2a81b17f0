package dev.refrain.engine.preview;

import java.util.List;

/**
 * Instruments named more precisely than a {@link Part}: each plays its part's role in the
 * arrangement (an erhu carries the tune the way a flute does, a koto comps the way a guitar does)
 * with a sound of its own (see {@link Voices}). A part nobody names is played by its own sound.
 */
enum Instrument {
  // Bowed.
  VIOLIN(Part.STRINGS, "violin", "violins", "fiddle", "fiddles"),
  CELLO(Part.STRINGS, "cello", "cellos", "viola", "violas"),
  ERHU(Part.FLUTE, "erhu", "huqin"),
  // Plucked.
  ELECTRIC_GUITAR(Part.GUITAR, "electric guitar", "electric guitars", "distorted guitar", "overdriven guitar", "guitar riffs"),
  NYLON_GUITAR(Part.GUITAR, "nylon guitar", "nylon string guitar", "classical guitar"),
  BANJO(Part.GUITAR, "banjo", "banjos"),
  MANDOLIN(Part.GUITAR, "mandolin", "mandolins", "bouzouki"),
  UKULELE(Part.GUITAR, "ukulele", "uke"),
  HARP(Part.GUITAR, "harp", "harps", "concert harp", "celtic harp"),
  SITAR(Part.GUITAR, "sitar"),
  KOTO(Part.GUITAR, "koto"),
  GUZHENG(Part.GUITAR, "guzheng", "zither", "gayageum"),
  PIPA(Part.GUITAR, "pipa"),
  SHAMISEN(Part.GUITAR, "shamisen"),
  OUD(Part.GUITAR, "oud", "lute"),
  // Keyboards.
  HARPSICHORD(Part.PIANO, "harpsichord"),
  CLAVINET(Part.EPIANO, "clavinet", "clav"),
  ACCORDION(Part.ORGAN, "accordion", "bandoneon", "harmonium", "concertina"),
  // Winds and reeds.
  CLARINET(Part.FLUTE, "clarinet", "clarinets"),
  OBOE(Part.FLUTE, "oboe", "english horn", "bassoon"),
  PAN_FLUTE(Part.FLUTE, "pan flute", "panpipes", "pan pipes"),
  DIZI(Part.FLUTE, "dizi", "bamboo flute", "xiao", "bansuri"),
  SHAKUHACHI(Part.FLUTE, "shakuhachi"),
  TIN_WHISTLE(Part.FLUTE, "tin whistle", "whistle", "penny whistle", "irish whistle"),
  RECORDER(Part.FLUTE, "recorder", "ocarina"),
  HARMONICA(Part.SAX, "harmonica", "blues harp", "mouth organ"),
  BAGPIPES(Part.SAX, "bagpipes", "bagpipe", "pipes", "uilleann pipes"),
  // Brass.
  TRUMPET(Part.BRASS, "trumpet", "trumpets", "cornet", "flugelhorn"),
  TROMBONE(Part.BRASS, "trombone", "trombones"),
  FRENCH_HORN(Part.BRASS, "french horn", "french horns"),
  // Mallets and metal.
  MARIMBA(Part.BELLS, "marimba"),
  VIBRAPHONE(Part.BELLS, "vibraphone", "vibes"),
  XYLOPHONE(Part.BELLS, "xylophone"),
  GLOCKENSPIEL(Part.BELLS, "glockenspiel"),
  MUSIC_BOX(Part.BELLS, "music box"),
  CELESTA(Part.BELLS, "celesta", "celeste"),
  KALIMBA(Part.BELLS, "kalimba", "mbira", "thumb piano"),
  STEEL_DRUM(Part.BELLS, "steel drum", "steel drums", "steelpan", "steel pan"),
  // Voices.
  CHOIR(Part.PAD, "choir", "choirs", "choral", "chorale", "backing choir"),
  MALE_VOICE(Part.VOICE, "male vocals", "male vocal", "male voice", "male singer", "man singing", "baritone", "tenor"),
  FEMALE_VOICE(Part.VOICE, "female vocals", "female vocal", "female voice", "female singer", "woman singing", "soprano",
      "alto"),
  // Drums: brushes change how the drummer plays the kit (see Drummer), not the kit's sounds.
  BRUSHES(Part.DRUMS, "brushes", "brush", "brushed drums", "brushed snare", "jazz brushes"),
  // Basses.
  SLAP_BASS(Part.BASS, "slap bass", "funk bass", "slapped bass"),
  UPRIGHT_BASS(Part.BASS, "upright bass", "double bass", "contrabass", "acoustic bass"),
  SUB_808(Part.BASS, "808", "808s", "sub bass"),
  TUBA(Part.BASS, "tuba", "sousaphone");

  private final Part part;
  private final List<String> words;

  Instrument(Part part, String... words) {
    this.part = part;
    this.words = List.of(words);
  }

  /** The role it plays in the arrangement. */
  Part part() {
    return part;
  }

  /** The prompt phrases that name it. */
  List<String> words() {
    return words;
  }

  /** For logs: {@code french horn}. */
  String label() {
    return words.getFirst();
  }
}
