package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StyleTest {
  private static Style style(String prompt, String negative) {
    return Style.of(prompt, negative, new SplittableRandom(1));
  }

  @Test
  void readsTempoAndKey() {
    Style s = style("Dark synthwave, 128 BPM, in F# minor", null);
    assertThat(s.bpm()).isEqualTo(128);
    assertThat(s.tonic()).isEqualTo(6);
    assertThat(s.minor()).isTrue();
    assertThat(s.describe()).isEqualTo("128 bpm, F# minor");
    assertThat(style("ballad in Bb major", null).describe()).endsWith("Bb major");
    assertThat(style("key of Am", null).describe()).endsWith("A minor");
  }

  @Test
  void wordsSetTheFeelWhenNoTempoIsGiven() {
    assertThat(style("slow ambient chill", null).bpm()).isBetween(68.0, 84.0);
    assertThat(style("fast edm dance", null).bpm()).isBetween(122.0, 138.0);
    assertThat(style("gibberish zorblat", null).feel()).isEqualTo(Feel.STEADY);
  }

  @Test
  void instrumentsArePickedAndRemoved() {
    assertThat(style("solo piano", null).parts()).contains(Part.PIANO).doesNotContain(Part.GUITAR, Part.SYNTH);
    assertThat(style("guitar and strings, no drums", null).parts())
        .contains(Part.GUITAR, Part.STRINGS, Part.BASS).doesNotContain(Part.DRUMS, Part.PIANO);
    assertThat(style("piano", "drums, bass, vocals").parts()).containsExactly(Part.PIANO);
    assertThat(style("piano", "piano pad guitar synth strings bass drums").parts()).isNotEmpty();
  }

  @Test
  void theSeedDecidesWhatThePromptLeavesOpen() {
    var a = Style.of("pop", null, new SplittableRandom(1));
    var b = Style.of("pop", null, new SplittableRandom(1));
    assertThat(a).isEqualTo(b);
  }
}
