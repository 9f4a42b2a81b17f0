package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class StyleTest {
  private static Style style(String prompt, String negative) {
    return Style.of(prompt, negative, new SplittableRandom(1));
  }

  private static Style style(String prompt, String negative, long seed) {
    return Style.of(prompt, negative, new SplittableRandom(seed));
  }

  @Test
  void theTableCoversAtLeastTwentyFiveGenresAndMoodsAndEachParsesSensibly() {
    assertThat(Genre.TABLE.size() + Mood.TABLE.size()).isGreaterThanOrEqualTo(25);
    assertThat(Genre.TABLE).hasSizeGreaterThanOrEqualTo(25);
    for (Genre g : Genre.TABLE) {
      for (String word : g.words()) {
        for (long seed = 0; seed < 4; seed++) {
          Style s = style(word, null, seed);
          assertThat(s.genre()).as(word).isEqualTo(g);
          assertThat(s.bpm()).as(word).isBetween((double) g.slowest(), (double) g.fastest());
          assertThat(s.beatsPerBar()).as(word).isEqualTo(g.beatsPerBar());
          assertThat(s.parts()).as(word).isNotEmpty().anyMatch(Part::harmonic);
          assertThat(s.describe()).as(word).startsWith(g.name() + ", ");
        }
      }
    }
    for (Mood m : Mood.TABLE) {
      Style s = style(m.words().getFirst(), null);
      assertThat(s.moods()).as(m.name()).containsExactly(m);
      assertThat(s.bpm()).isBetween(40.0, 200.0);
      if (m.mode() != 0) assertThat(s.minor()).as(m.name()).isEqualTo(m.mode() > 0);
    }
  }

  @Test
  void hardRequirements() {
    for (long seed = 0; seed < 20; seed++) {
      assertThat(style("slow ambient", null, seed).bpm()).isLessThan(90);
      assertThat(style("drum and bass", null, seed).bpm()).isBetween(165.0, 180.0);
      assertThat(style("solo piano", null, seed).parts()).containsExactly(Part.PIANO);
    }
    assertThat(style("piano only", null).parts()).containsExactly(Part.PIANO);
    assertThat(style("just piano, sad", null).parts()).containsExactly(Part.PIANO);
    assertThat(style("solo piano ballad", null).parts()).containsExactly(Part.PIANO);
  }

  @Test
  void multiWordGenresAreRecognised() {
    assertThat(style("Drum & Bass", null).genre().name()).isEqualTo("drum and bass");
    assertThat(style("liquid DnB with pads", null).genre().name()).isEqualTo("drum and bass");
    assertThat(style("chill hip-hop", null).genre().name()).isEqualTo("hip hop");
    assertThat(style("Lo-Fi beats to study to", null).genre().name()).isEqualTo("lo-fi");
    assertThat(style("bossa nova", null).genre().name()).isEqualTo("bossa nova");
    assertThat(style("smooth R&B", null).genre().name()).isEqualTo("r&b");
    assertThat(style("hard rock, drums and bass", null).genre().name()).isEqualTo("rock");
    assertThat(style("pop ballad", null).genre().name()).isEqualTo("ballad");
  }

  @Test
  void explicitTempoKeyMeterAndInstrumentsBeatTheGenre() {
    Style s = style("drum and bass 140 bpm in D major 3/4", null);
    assertThat(s.bpm()).isEqualTo(140);
    assertThat(s.tonic()).isEqualTo(2);
    assertThat(s.minor()).isFalse();
    assertThat(s.beatsPerBar()).isEqualTo(3);
    assertThat(s.describe()).isEqualTo("drum and bass, 140 bpm, 3/4, D major, straight; drums, 808, pad, synth, strings, voice");

    Style dark = style("Dark synthwave, 128 BPM, in F# minor", null);
    assertThat(dark.bpm()).isEqualTo(128);
    assertThat(dark.tonic()).isEqualTo(6);
    assertThat(dark.minor()).isTrue();
    assertThat(dark.describe()).startsWith("dark synthwave, 128 bpm, 4/4, F# minor, straight; ");
    assertThat(style("ballad in Bb major", null).describe()).contains("Bb major");
    assertThat(style("key of Am", null).describe()).contains("A minor");
    assertThat(style("key of F#", null).tonic()).isEqualTo(6);

    Style six = style("folk ballad in 6/8, 60 bpm", null);
    assertThat(six.beatsPerBar()).isEqualTo(6);
    assertThat(six.compound()).isTrue();
    assertThat(six.bpm()).isEqualTo(180); // eighths
    assertThat(six.describe()).contains("60 bpm, 6/8");
    assertThat(style("waltz", null).beatsPerBar()).isEqualTo(3);
    assertThat(style("waltz in 4/4", null).beatsPerBar()).isEqualTo(4);

    assertThat(style("jazz with organ", null).parts()).contains(Part.ORGAN, Part.DRUMS, Part.BASS).doesNotContain(Part.PIANO, Part.SAX);
    assertThat(style("rock with saxophone and strings", null).parts()).contains(Part.SAX, Part.STRINGS).doesNotContain(Part.GUITAR);
    assertThat(style("jazz", null).swing()).isGreaterThan(0.5);
    assertThat(style("house, swung", null).swing()).isGreaterThan(0.5);
  }

  @Test
  void negativesRemoveInstrumentsAndTraits() {
    assertThat(style("rock", "drums").parts()).doesNotContain(Part.DRUMS).contains(Part.GUITAR);
    assertThat(style("pop", "vocals").parts()).doesNotContain(Part.VOICE);
    assertThat(style("pop instrumental", null).parts()).doesNotContain(Part.VOICE);
    assertThat(style("guitar and strings, no drums", null).parts())
        .contains(Part.GUITAR, Part.STRINGS, Part.BASS).doesNotContain(Part.DRUMS, Part.PIANO);
    assertThat(style("pop without vocals or drums", null).parts()).doesNotContain(Part.VOICE, Part.DRUMS).contains(Part.BASS);
    assertThat(style("piano", "drums, bass, vocals").parts()).containsExactly(Part.PIANO);
    assertThat(style("piano", "piano pad guitar synth strings bass drums").parts()).isNotEmpty().anyMatch(Part::harmonic);
    for (long seed = 0; seed < 20; seed++) {
      assertThat(style("edm", "fast, upbeat", seed).bpm()).isLessThanOrEqualTo(110);
      assertThat(style("drum and bass", "fast", seed).bpm()).isLessThanOrEqualTo(110);
      assertThat(style("sad dark song", "sad", seed).minor()).isFalse();
      assertThat(style("metal", "minor", seed).minor()).isFalse();
      assertThat(style("pop", "happy", seed).minor()).isTrue();
      assertThat(style("ballad", "slow", seed).bpm()).isGreaterThanOrEqualTo(100);
    }
    assertThat(style("jazz", "swing").swing()).isZero();
    assertThat(style("blues, not swung", null).swing()).isZero();
    assertThat(style("jazz", null).parts()).contains(Part.DRUMS);
    assertThat(style("jazz, no sad stuff", null).moods()).isEmpty();
  }

  @Test
  void unknownWordsAreHarmlessAndListed() {
    Style plain = style("", null);
    Style noisy = style("zorblat qwxv ##!! 9999 the of", null);
    assertThat(noisy).usingRecursiveComparison().ignoringFields("unknown").isEqualTo(plain);
    assertThat(noisy.unknown()).containsExactly("zorblat", "qwxv");
    assertThat(plain.unknown()).isEmpty();
    assertThat(style(null, null)).isEqualTo(plain);
    assertThat(plain.parts()).contains(Part.VOICE).anyMatch(Part::harmonic);
    assertThat(style("jazz zorblat", null)).usingRecursiveComparison().ignoringFields("unknown").isEqualTo(style("jazz", null));
    assertThat(style("jazz zorblat zorblat, 120 bpm in D minor, 3/4 time with a very dreamy feel", null).unknown())
        .containsExactly("zorblat");
    assertThat(style("x".repeat(500) + " " + String.join(" ", java.util.Collections.nCopies(50, "blorp")), null).unknown())
        .hasSize(2).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(33));
  }

  @Test
  void everyInstrumentIsNamedByEachOfItsWordsAndPlaysItsPart() {
    for (Instrument i : Instrument.values()) {
      for (String word : i.words()) {
        Style s = style(word + " solo", null);
        assertThat(s.instruments()).as(word).containsEntry(i.part(), i);
        assertThat(s.parts()).as(word).contains(i.part());
        assertThat(s.unknown()).as(word).isEmpty();
      }
    }
    assertThat(style("rock, no banjo", null).instruments()).doesNotContainValue(Instrument.BANJO);
    Style sticks = style("jazz trio, no brushes", null);
    assertThat(sticks.instruments()).doesNotContainValue(Instrument.BRUSHES);
    assertThat(sticks.parts()).contains(Part.DRUMS);
    assertThat(Genre.TABLE).hasSizeGreaterThanOrEqualTo(25);
  }

  @Test
  void traditionsBringTheirInstrumentsAndNamedOnesWin() {
    Style chinese = style("chinese traditional, erhu, pentatonic", null);
    assertThat(chinese.genre().name()).isEqualTo("chinese traditional");
    assertThat(chinese.describe()).contains("erhu", "guzheng").doesNotContain("organ", "guitar");
    assertThat(chinese.unknown()).isEmpty();
    assertThat(chinese.scale()).isEqualTo(Scale.PENTATONIC);
    assertThat(chinese.steps()).hasSize(5);
    Style dorian = style("rock, key of D, dorian", null);
    assertThat(dorian.scale()).isEqualTo(Scale.DORIAN);
    assertThat(dorian.describe()).contains("D minor dorian");
    assertThat(dorian.steps()).containsExactly(0, 2, 3, 5, 7, 9, 10);
    assertThat(style("pop in A minor, pentatonic", null).steps()).containsExactly(0, 3, 5, 7, 10);
    assertThat(style("pop in A major, pentatonic", null).steps()).containsExactly(0, 2, 4, 7, 9);
    assertThat(style("klezmer", null).withKey(2, true).minor()).as("a mode keeps its own third").isFalse();
    assertThat(style("pop", null).scale()).isNull();
    assertThat(style("bluegrass", null).describe()).contains("banjo", "violin", "upright bass");
    assertThat(style("celtic with bagpipes", null).instruments()).containsEntry(Part.SAX, Instrument.BAGPIPES)
        .containsEntry(Part.FLUTE, Instrument.TIN_WHISTLE);
    assertThat(style("tango, piano, harpsichord", null).instruments()).containsEntry(Part.PIANO, Instrument.HARPSICHORD);
    assertThat(style("gospel choir", null).instruments()).containsEntry(Part.PAD, Instrument.CHOIR);
    assertThat(style("jazz trio", null).parts()).as("no horns in a trio").doesNotContain(Part.SAX, Part.BRASS).contains(Part.PIANO);
  }

  @Test
  void genresPlayTheirOwnInstruments() {
    assertThat(style("hard rock", null).instruments()).containsEntry(Part.GUITAR, Instrument.ELECTRIC_GUITAR);
    assertThat(style("bossa nova", null).instruments()).containsEntry(Part.GUITAR, Instrument.NYLON_GUITAR);
    assertThat(style("funk", null).instruments()).containsEntry(Part.BASS, Instrument.SLAP_BASS).containsEntry(Part.EPIANO, Instrument.CLAVINET);
    assertThat(style("drum and bass", null).instruments()).containsEntry(Part.BASS, Instrument.SUB_808);
    assertThat(style("drum and bass, dark synth pads", null).parts()).as("synth pads are pads").contains(Part.PAD).doesNotContain(Part.SYNTH);
    assertThat(style("ambient, pads and bells", null).genre().name()).isEqualTo("ambient");
    Style named = style("pop rock with drums, bass, electric guitar, piano and vocals", null);
    assertThat(named.instruments()).containsEntry(Part.GUITAR, Instrument.ELECTRIC_GUITAR);
    assertThat(named.parts()).contains(Part.PIANO, Part.GUITAR).doesNotContain(Part.ORGAN);
    assertThat(style("rock, nylon guitar", null).instruments()).as("a named guitar beats the genre's").containsEntry(Part.GUITAR,
        Instrument.NYLON_GUITAR);
  }

  @Test
  void theSeedDecidesWhatThePromptLeavesOpen() {
    assertThat(style("pop", null, 5)).isEqualTo(style("pop", null, 5));
    Set<Integer> tonics = new java.util.TreeSet<>();
    for (long seed = 0; seed < 30; seed++) tonics.add(style("pop", null, seed).tonic());
    assertThat(tonics.size()).isGreaterThan(5);
    // Pinning the key leaves the seed's tempo alone, and pinning the tempo its key.
    for (long seed = 0; seed < 10; seed++) {
      Style open = style("pop", null, seed);
      assertThat(style("pop in E minor", null, seed).bpm()).isEqualTo(open.bpm());
      assertThat(style("pop 100 bpm", null, seed).tonic()).isEqualTo(open.tonic());
      assertThat(style("pop with strings", null, seed).bpm()).isEqualTo(open.bpm());
    }
  }

  @Test
  void withTempoAndKeyKeepTheRest() {
    Style s = style("funk", null);
    Style t = s.withTempo(99).withKey(3, true);
    assertThat(t.bpm()).isEqualTo(99);
    assertThat(t.tonic()).isEqualTo(3);
    assertThat(t.minor()).isTrue();
    assertThat(t.genre()).isEqualTo(s.genre());
    assertThat(t.parts()).isEqualTo(s.parts());
    assertThat(EnumSet.copyOf(t.parts())).isEqualTo(EnumSet.copyOf(List.copyOf(s.parts())));
  }

  @Test
  void dryTakesTheReverbOut() {
    assertThat(style("pop", null).reverb()).isEqualTo(1);
    assertThat(style("dark synthwave, 128 bpm", null).reverb()).isEqualTo(1);
    assertThat(style("dry", null).reverb()).isZero();
    assertThat(style("dry folk guitar", null).reverb()).isZero();
    assertThat(style("jazz trio, no reverb", null).reverb()).isZero();
    assertThat(style("Lo-Fi beats without reverb", null).reverb()).isZero();
    assertThat(style("bone dry rock", null).reverb()).isZero();
    assertThat(style("dry", null).unknown()).isEmpty();
    assertThat(style("no reverb", null).unknown()).isEmpty();
    assertThat(style("jazz", null).withTempo(90).withKey(2, false).withMeter(3).withBrightness(0.2).reverb()).isEqualTo(1);
    assertThat(style("jazz, dry", null).withTempo(90).withKey(2, false).withMeter(3).withBrightness(0.2).reverb()).isZero();
  }

  @Test
  void aCappellaIsVoicesOnly() {
    for (long seed = 0; seed < 10; seed++) {
      assertThat(style("a cappella", null, seed).parts()).containsExactly(Part.VOICE);
      assertThat(style("pop, a cappella", null, seed).parts()).containsExactly(Part.VOICE);
    }
    assertThat(style("acapella ballad", null).parts()).containsExactly(Part.VOICE);
    assertThat(style("a cappella", null).unknown()).isEmpty();
    assertThat(style("a cappella choir", null).parts()).containsExactlyInAnyOrder(Part.VOICE, Part.PAD);
    assertThat(style("a cappella choir", null).instruments()).containsEntry(Part.PAD, Instrument.CHOIR);
    assertThat(style("a cappella choir", "vocals").parts()).as("the choir alone still sings").containsExactly(Part.PAD);
  }

  @Test
  void aNamedMaleOrFemaleSingerSingsTheVocals() {
    assertThat(style("pop, male vocals", null).instruments()).containsEntry(Part.VOICE, Instrument.MALE_VOICE);
    assertThat(style("soul ballad with female vocal", null).instruments()).containsEntry(Part.VOICE, Instrument.FEMALE_VOICE);
    assertThat(style("rock, baritone", null).instruments()).containsEntry(Part.VOICE, Instrument.MALE_VOICE);
    assertThat(style("pop, male vocals", null).unknown()).isEmpty();
    assertThat(style("pop, female vocals", null).parts()).contains(Part.VOICE);
    assertThat(style("pop, female vocals, instrumental", null).parts()).doesNotContain(Part.VOICE);
    assertThat(style("pop", null).instruments()).doesNotContainKey(Part.VOICE);
  }
}
