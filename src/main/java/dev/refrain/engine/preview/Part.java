package dev.refrain.engine.preview;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The instruments the preview engine plays, with the prompt words that name each. */
enum Part {
  PAD("pad", "pads"),
  PIANO("piano", "pianos", "keys", "keyboard"),
  EPIANO("rhodes", "wurlitzer"),
  ORGAN("organ", "hammond"),
  GUITAR("guitar", "guitars"),
  SYNTH("synth", "synths", "synthesizer", "synthwave"),
  STRINGS("strings", "string", "violin", "violins", "cello", "orchestra", "orchestral"),
  BRASS("brass", "trumpet", "trumpets", "horns", "trombone"),
  SAX("sax", "saxophone"),
  FLUTE("flute", "flutes", "whistle"),
  BELLS("bells", "bell", "glockenspiel", "marimba", "vibraphone", "mallets"),
  BASS("bass", "bassline", "808"),
  DRUMS("drums", "drum", "percussion", "beat", "beats"),
  VOICE("vocals", "vocal", "voice", "voices", "singer", "singing", "vocalist");

  private static final Map<String, Part> BY_WORD = new HashMap<>();

  static {
    for (Part p : values()) {
      for (String w : p.words) BY_WORD.put(w, p);
    }
  }

  private final String[] words;

  Part(String... words) {
    this.words = words;
  }

  static Optional<Part> named(String word) {
    return Optional.ofNullable(BY_WORD.get(word));
  }

  /** Plays the chords, as opposed to the bass line, the drums or the sung melody. */
  boolean harmonic() {
    return this != BASS && this != DRUMS && this != VOICE;
  }
}
