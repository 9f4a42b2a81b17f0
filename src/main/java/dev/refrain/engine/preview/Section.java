package dev.refrain.engine.preview;

import java.util.Locale;

/**
 * The kinds of section a song is built from, with how full the band plays in each (0 sparse to 3
 * full) and the bars it takes when nothing else sets its length.
 */
enum Section {
  INTRO(1, 4),
  VERSE(2, 8),
  PRE_CHORUS(2, 4),
  CHORUS(3, 8),
  BRIDGE(2, 8),
  SOLO(3, 8),
  INTERLUDE(2, 4),
  BREAK(0, 4),
  DROP(3, 8),
  OUTRO(1, 4);

  final int intensity;
  final int bars;

  Section(int intensity, int bars) {
    this.intensity = intensity;
    this.bars = bars;
  }

  /** The kind a lyric tag names, modifiers and all ("Chorus - anthemic", "Verse 2", "pre chorus x2"); unknown tags are verses. */
  static Section tagged(String tag) {
    String t = tag.toLowerCase(Locale.ROOT);
    if (t.contains("pre") && t.contains("chorus")) return PRE_CHORUS;
    if (t.contains("chorus") || t.contains("hook") || t.contains("refrain")) return CHORUS;
    if (t.contains("verse")) return VERSE;
    if (t.contains("bridge")) return BRIDGE;
    if (t.contains("intro")) return INTRO;
    if (t.contains("outro") || t.contains("ending") || t.contains("coda") || t.strip().equals("end")) return OUTRO;
    if (t.contains("solo")) return SOLO;
    if (t.contains("drop")) return DROP;
    if (t.contains("break")) return BREAK;
    if (t.contains("interlude") || t.contains("inst")) return INTERLUDE;
    return VERSE;
  }

  /** Sections the lead instrument carries when nobody sings in them. */
  boolean featuresLead() {
    return this == SOLO || this == INTERLUDE || this == DROP || this == VERSE || this == CHORUS || this == BRIDGE;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
