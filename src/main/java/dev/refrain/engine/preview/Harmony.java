package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.List;

/**
 * Chord progressions by family, in Roman numerals: bars split by {@code |}, chords sharing a bar by
 * spaces, alternatives by {@code ;}. Each family has a verse, a chorus and a bridge that moves away
 * (to IV, the relative key or the far side of the circle), in major and in minor, and the chord that
 * leads into the final tonic.
 */
enum Harmony {
  POP("I | V | vi | IV; vi | IV | I | V; I | vi | IV | V",
      "IV | I | V | vi; I | V | vi | IV; vi | IV | I | V",
      "IV | IV | vi | V; ii | IV | vi | V",
      "i | VI | III | VII; i | iv | VI | V; i | VII | VI | VII",
      "VI | VII | i | i; VI | III | VII | i; iv | VI | VII | i",
      "iv | iv | VI | V; III | VII | iv | V", "V"),
  ROCK("I | bVII | IV | I; I | IV | V | IV; I | V | IV | IV",
      "I | IV | V | IV; IV | I | V | V; I | V | bVII | IV",
      "vi | IV | V | V; bVI | bVII | I | I",
      "i | VII | VI | VII; i | iv | VII | VII; i | VI | VII | i",
      "VI | VII | i | i; i | VII | VI | V",
      "iv | VI | VII | VII; III | VII | iv | V", "V"),
  BLUES("I7 | IV7 | I7 | I7 | IV7 | IV7 | I7 | I7 | V7 | IV7 | I7 | V7",
      "I7 | IV7 | I7 | I7 | IV7 | IV7 | I7 | I7 | V7 | IV7 | I7 | V7",
      "IV7 | IV7 | I7 | I7 | V7 | V7 | IV7 | V7",
      "i7 | iv7 | i7 | i7 | iv7 | iv7 | i7 | i7 | V7 | iv7 | i7 | V7",
      "i7 | iv7 | i7 | i7 | iv7 | iv7 | i7 | i7 | V7 | iv7 | i7 | V7",
      "iv7 | iv7 | i7 | i7 | VI7 | V7 | i7 | V7", "V7"),
  JAZZ("Imaj7 | vi7 | ii7 | V7; ii7 | V7 | Imaj7 | Imaj7; iii7 | vi7 | ii7 V7 | Imaj7",
      "ii7 | V7 | Imaj7 | vi7; Imaj7 | IV7 | iii7 vi7 | ii7 V7",
      "iii7 | VI7 | ii7 | V7; IVmaj7 | iv7 | iii7 | VI7",
      "i7 | iv7 | ii7 V7 | i7; i7 | VImaj7 | ii7 | V7",
      "iv7 | VII7 | IIImaj7 | VImaj7; ii7 | V7 | i7 | i7",
      "IIImaj7 | VImaj7 | ii7 | V7; VImaj7 | iv7 | ii7 | V7", "V7"),
  SOUL("Imaj7 | iii7 | IVmaj7 | V; I | vi7 | ii7 | V7; IVmaj7 | iii7 | ii7 | Imaj7",
      "IVmaj7 | V | iii7 | vi7; I | iii7 | IV | V; ii7 | V7 | Imaj7 | vi7",
      "vi7 | V | IVmaj7 | V; iii7 | vi7 | ii7 | V7",
      "i7 | iv7 | VImaj7 | V7; i7 | VII | VImaj7 | V",
      "VImaj7 | VII | i7 | i7; iv7 | VII | IIImaj7 | VImaj7",
      "iv7 | VII7 | IIImaj7 | V7; VImaj7 | V7 | i7 | i7", "V7"),
  GOSPEL("I | IV | I | V; I | iii7 | IV | V; I | vi7 | ii7 | V7",
      "IV | V | iii7 | vi7; IV | I | ii7 | V7; I | IV | vi7 | V",
      "ii7 | iii7 | IV | V; vi7 | V | IV | V",
      "i | iv | i | V; i | VI | iv | V",
      "VI | VII | i | i; iv | V | i | i",
      "iv | VII | III | V", "V7"),
  FUNK("I7 | I7 | IV7 | I7; I7 | IV7 | I7 | IV7",
      "IV7 | IV7 | I7 | I7; I7 | bVII | IV7 | I7",
      "ii7 | V7 | ii7 | V7; bVII | IV7 | bVII | V7",
      "i7 | i7 | IV7 | i7; i7 | IV7 | i7 | IV7",
      "iv7 | iv7 | i7 | i7; VII | VI | i7 | i7",
      "VI | VII | VI | VII; iv7 | VII7 | iv7 | V7", "V7"),
  EDM("vi | IV | I | V; I | V | vi | IV; IV | V | vi | vi",
      "IV | V | vi | I; vi | IV | I | V; IV | I | V | vi",
      "IV | IV | V | V; ii | IV | V | V",
      "i | VI | III | VII; i | iv | VI | VII; VI | VII | i | i",
      "VI | VII | i | III; i | VI | III | VII; iv | VI | VII | i",
      "iv | iv | VI | VII; VI | VI | VII | VII", "V"),
  LOOP("i | VI; i | iv; i | VII | VI | VII; i | i | VI | V",
      "i | VI | iv | V; VI | VII | i | i; i | iv | VI | V",
      "iv | iv | VI | VII; VI | VI | V | V",
      "i | VI; i | iv; i | VII | VI | VII; i | i | VI | V",
      "i | VI | iv | V; VI | VII | i | i; i | iv | VI | V",
      "iv | iv | VI | VII; VI | VI | V | V", "V"),
  MODAL("I | IV; Imaj7 | IVmaj7; I | ii | IV | I",
      "IV | I | V | IV; vi | IV | I | I; Imaj7 | IVmaj7 | vi | V",
      "vi | vi | IV | IV; ii | IV | ii | V",
      "i | VI; i | iv; i | VII | VI | VI",
      "VI | III | VII | i; i | VI | III | VII; VI | VII | i | i",
      "iv | iv | VI | VI; III | VII | VI | VII", "VII"),
  REGGAE("I | IV; I | V | IV | I; I | vi | IV | V",
      "IV | V | I | I; I | IV | V | IV",
      "vi | V | IV | V; ii | V | ii | V",
      "i | iv; i | VII | VI | VII",
      "iv | VII | i | i; VI | VII | i | i",
      "VI | VII | VI | VII", "V"),
  FOLK("I | IV | I | V; I | V | IV | I; I | IV | vi | V",
      "IV | I | V | I; I | IV | I | V; vi | IV | I | V",
      "vi | IV | I | V; IV | V | vi | vi",
      "i | VII | VI | VII; i | iv | i | V; i | III | VII | i",
      "VI | III | VII | i; III | VII | i | i",
      "iv | i | VI | V; III | VII | VI | V", "V"),
  CLASSICAL("I | IV | V | I; I | vi | ii | V; I | V | vi | iii | IV | I | IV | V",
      "IV | V | iii | vi | ii | V | I | I; I | ii | V | I",
      "vi | iii | IV | V; ii | V | iii | vi",
      "i | iv | V | i; i | VI | iv | V; i | iv | VII | III",
      "VI | iv | V | i; iv | i | V | i",
      "III | VII | iv | V; VI | iv | iio | V", "V"),
  CINEMATIC("I | V | vi | IV; vi | IV | I | V; I | bVI | bVII | I",
      "IV | I | V | vi; vi | IV | I | V; bVI | bVII | I | I",
      "vi | vi | IV | V; bVI | bIII | bVII | V",
      "i | VI | III | VII; i | i | VI | VI; i | iv | VI | VII",
      "VI | VII | i | i; VI | III | VII | i; iv | VI | III | VII",
      "VI | VI | VII | VII; iv | iv | V | V", "VII");

  private final String[][] tables;
  private final String leading;

  Harmony(String verse, String chorus, String bridge, String minorVerse, String minorChorus, String minorBridge, String leading) {
    this.tables = new String[][] {verse.split(";"), chorus.split(";"), bridge.split(";"),
        minorVerse.split(";"), minorChorus.split(";"), minorBridge.split(";")};
    this.leading = leading;
  }

  /** Which table a section kind draws its chords from: 0 verse (and intro, solo, interlude), 1 chorus (and drop, outro), 2 bridge (and pre-chorus, break). */
  static int table(Section kind) {
    return switch (kind) {
      case CHORUS, DROP, OUTRO -> 1;
      case BRIDGE, PRE_CHORUS, BREAK -> 2;
      default -> 0;
    };
  }

  /** The bars of one progression, each a list of chords sharing the bar. */
  List<List<Chord>> bars(int table, int alternative, int tonic, boolean minor) {
    String[] options = tables[table + (minor ? 3 : 0)];
    List<List<Chord>> bars = new ArrayList<>();
    for (String bar : options[alternative % options.length].split("\\|")) {
      List<Chord> chords = new ArrayList<>();
      for (String numeral : bar.trim().split("\\s+")) chords.add(Chord.parse(numeral, tonic, minor));
      bars.add(List.copyOf(chords));
    }
    return List.copyOf(bars);
  }

  /** The chord before the last tonic: the dominant, or the flat seventh where a dominant would sound out of style. */
  Chord leading(int tonic, boolean minor) {
    return Chord.parse(leading, tonic, minor);
  }
}
