package dev.refrain.engine.preview;

import java.util.List;

/** The instruments the preview engine plays, with the prompt words that name each. */
enum Part {
  PAD("pad", "pads", "synth pad", "ambient pad", "drone pad"),
  PIANO("piano", "pianos", "keys", "keyboard", "grand piano", "upright piano"),
  EPIANO("rhodes", "wurlitzer", "electric piano", "e piano", "epiano", "fender rhodes"),
  ORGAN("organ", "hammond", "b3", "church organ"),
  GUITAR("guitar", "guitars", "acoustic guitar", "electric guitar", "ukulele", "banjo", "mandolin"),
  SYNTH("synth", "synths", "synthesizer", "synthesizers", "arp", "arpeggiator", "lead synth"),
  STRINGS("strings", "string", "violin", "violins", "cello", "cellos", "viola", "fiddle", "string section"),
  BRASS("brass", "trumpet", "trumpets", "horns", "horn section", "trombone", "tuba"),
  SAX("sax", "saxophone", "saxophones", "tenor sax", "alto sax"),
  FLUTE("flute", "flutes", "whistle", "pan flute", "recorder", "clarinet", "oboe"),
  BELLS("bells", "bell", "glockenspiel", "marimba", "vibraphone", "vibes", "mallets", "music box", "celesta", "xylophone"),
  BASS("bass", "bassline", "808", "sub bass", "bass guitar", "upright bass", "double bass", "basses"),
  DRUMS("drums", "drum", "percussion", "beat", "beats", "drum kit", "drum machine", "kick"),
  VOICE("vocals", "vocal", "voice", "voices", "singer", "singing", "vocalist", "sung", "vox");

  private final List<String> words;

  Part(String... words) {
    this.words = List.of(words);
  }

  /** The prompt phrases that name this instrument. */
  List<String> words() {
    return words;
  }

  /** Plays the chords, as opposed to the bass line, the drums or the sung melody. */
  boolean harmonic() {
    return this != BASS && this != DRUMS && this != VOICE;
  }
}
