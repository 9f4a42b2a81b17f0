package dev.refrain.engine.preview;

import java.util.List;

/** The parts the preview engine arranges for, each a family of instruments, with the prompt words that name the family (see {@link Instrument}). */
enum Part {
  PAD("pad", "pads", "synth pad", "synth pads", "ambient pad", "drone pad"),
  PIANO("piano", "pianos", "keys", "keyboard", "grand piano", "upright piano"),
  EPIANO("rhodes", "wurlitzer", "electric piano", "e piano", "epiano", "fender rhodes"),
  ORGAN("organ", "hammond", "b3", "church organ"),
  GUITAR("guitar", "guitars", "acoustic guitar", "steel guitar"),
  SYNTH("synth", "synths", "synthesizer", "synthesizers", "arp", "arpeggiator", "lead synth"),
  STRINGS("strings", "string", "string section", "orchestral strings"),
  BRASS("brass", "horns", "horn section", "brass section"),
  SAX("sax", "saxophone", "saxophones", "tenor sax", "alto sax"),
  FLUTE("flute", "flutes", "woodwinds", "winds"),
  BELLS("bells", "bell", "mallets", "chimes", "tubular bells"),
  BASS("bass", "bassline", "bass guitar", "electric bass", "basses"),
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
