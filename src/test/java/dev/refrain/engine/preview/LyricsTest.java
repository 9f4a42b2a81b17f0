package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.List;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class LyricsTest {
  private static List<String> sung(Lyrics.Line line) {
    return line.syllables().stream().map(Syllable::toString).toList();
  }

  private static List<Section> kinds(Lyrics l) {
    return l.blocks().stream().map(Lyrics.Block::kind).toList();
  }

  @Test
  void instrumentalTagsAndEmptySheetsHaveNoLines() {
    assertThat(Lyrics.parse("[inst]").instrumental()).isTrue();
    assertThat(Lyrics.parse(" [Instrumental] ").instrumental()).isTrue();
    assertThat(Lyrics.parse("[verse]\n[chorus]\n").instrumental()).isTrue();
    assertThat(Lyrics.parse(null).instrumental()).isTrue();
    assertThat(Lyrics.parse("").instrumental()).isTrue();
    assertThat(Lyrics.parse("[inst]").describe()).isEqualTo("instrumental");
  }

  @Test
  void countsSyllablesAndStresses() {
    Lyrics l = Lyrics.parse("[verse]\nHello beautiful day\n[chorus]\nmake it shine\n夜空の星");
    assertThat(l.lines()).hasSize(3);
    assertThat(sung(l.lines().get(0))).containsExactly("HH AH'", "L OW", "B Y UW'", "T AH", "F AH L", "D EY'");
    assertThat(sung(l.lines().get(1))).containsExactly("M EY K'", "IH T", "SH AY N'");
    assertThat(l.lines().get(2).syllables()).hasSize(4);
    assertThat(kinds(l)).containsExactly(Section.VERSE, Section.CHORUS);
    assertThat(l.blocks().get(1).syllables()).isEqualTo(7);
  }

  @Test
  void tagsWithModifiersAndAnyCaseAreSections() {
    Lyrics l = Lyrics.parse("""
        [Intro]
        [VERSE 1]
        walking down the street
        [Pre-Chorus]
        here it comes
        [Chorus - anthemic]
        sing it loud
        [verse 2]
        another day
        [Bridge: softly]
        over the hill
        [guitar solo]
        [Hook]
        sing it loud
        [break] [drop]
        [Interlude]
        [Outro]
        fade away
        """);
    assertThat(kinds(l)).containsExactly(Section.INTRO, Section.VERSE, Section.PRE_CHORUS, Section.CHORUS, Section.VERSE,
        Section.BRIDGE, Section.SOLO, Section.CHORUS, Section.BREAK, Section.DROP, Section.INTERLUDE, Section.OUTRO);
    assertThat(l.lines()).hasSize(7);
    assertThat(l.describe()).isEqualTo("12 sections (intro, verse, pre-chorus, chorus, verse, bridge, solo, chorus, break, drop, interlude, outro), 7 sung lines");
    // The chorus and the hook sing the same words: the same material.
    assertThat(l.blocks().get(3).key()).isEqualTo(l.blocks().get(7).key());
    assertThat(l.blocks().get(1).key()).isNotEqualTo(l.blocks().get(4).key());
  }

  @Test
  void repeatsAndBareTagsSingTheSectionAgain() {
    Lyrics l = Lyrics.parse("[verse]\none two\n[chorus x2]\nla la la\n[verse]\nthree four\n[chorus]\n");
    assertThat(kinds(l)).containsExactly(Section.VERSE, Section.CHORUS, Section.CHORUS, Section.VERSE, Section.CHORUS);
    assertThat(l.lines()).hasSize(5);
    assertThat(l.blocks().get(4)).isEqualTo(l.blocks().get(1));
  }

  @Test
  void untaggedStanzasAreVersesAndARepeatedOneIsTheChorus() {
    Lyrics l = Lyrics.parse("first line here\nsecond line\n\nthis is the hook\n\nthird stanza now\n\nthis is the hook\n");
    assertThat(kinds(l)).containsExactly(Section.VERSE, Section.CHORUS, Section.VERSE, Section.CHORUS);
    assertThat(l.blocks().getFirst().lines()).hasSize(2);
    assertThat(Lyrics.parse("just one line").describe()).isEqualTo("1 section (verse), 1 sung line");
  }

  @Test
  void textOnTheTagLineAndBeforeTheFirstTagIsSung() {
    Lyrics l = Lyrics.parse("opening words\n[Chorus] right here");
    assertThat(kinds(l)).containsExactly(Section.VERSE, Section.CHORUS);
    assertThat(l.blocks().get(1).lines()).hasSize(1);
  }
}
