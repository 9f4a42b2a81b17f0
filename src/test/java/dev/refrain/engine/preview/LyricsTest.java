package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LyricsTest {
  @Test
  void instrumentalTagsAndEmptySheetsHaveNoLines() {
    assertThat(Lyrics.parse("[inst]").instrumental()).isTrue();
    assertThat(Lyrics.parse(" [Instrumental] ").instrumental()).isTrue();
    assertThat(Lyrics.parse("[verse]\n[chorus]\n").instrumental()).isTrue();
    assertThat(Lyrics.parse(null).instrumental()).isTrue();
  }

  @Test
  void countsSyllablesAndMarksChoruses() {
    Lyrics l = Lyrics.parse("[verse]\nHello beautiful day\n[chorus]\nmake it shine\n夜空の星");
    assertThat(l.lines()).hasSize(3);
    assertThat(l.lines().get(0).syllables()).containsExactly(Vowel.E, Vowel.O, Vowel.E, Vowel.I, Vowel.U, Vowel.A);
    assertThat(l.lines().get(0).lifted()).isFalse();
    assertThat(l.lines().get(1).syllables()).hasSize(3); // make, it, shine: silent e
    assertThat(l.lines().get(1).lifted()).isTrue();
    assertThat(l.lines().get(2).syllables()).hasSize(4);
  }
}
