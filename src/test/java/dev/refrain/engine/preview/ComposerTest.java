package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class ComposerTest {
  private static final int RATE = 44_100;
  private static final String SONG = """
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      [verse]
      Morning comes and finds me on my own
      Every road is leading me back home
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      """;

  private static Style style(String prompt, String negative) {
    return Style.of(prompt, negative, new SplittableRandom(3));
  }

  private static Score compose(Style style, String lyrics, Grid grid) {
    return Composer.compose(style, Lyrics.parse(lyrics), grid, new SplittableRandom(11));
  }

  private static Grid grid(Style style, double seconds) {
    return Grid.of(RATE, (int) Math.round(seconds * RATE), style.bpm(), style.beatsPerBar());
  }

  private static List<Note> voice(Score score) {
    return score.notes().stream().filter(n -> n.part() == Part.VOICE && n.syllable() != Syllable.BREATH).toList();
  }

  /**
   * A long song develops: each solo that fills it plays a tune of its own, and its last chorus
   * comes back a whole tone up (the same tune, lifted), with the rest of the song.
   */
  @Test
  void aLongSongVariesItsRepeatsAndLiftsItsLastChorus() {
    Style s = style("pop, piano, sax", null);
    Grid g = grid(s, 240);
    Score oneLine = compose(s, "just one line to sing", g);
    List<List<Integer>> solos = new ArrayList<>();
    List<Note> sax = oneLine.notes().stream().filter(n -> n.part() == Part.SAX && n.pan() == 0.2f).toList();
    assertThat(sax).isNotEmpty();
    // The sax's tune, solo by solo: consecutive runs of its notes between sung stretches.
    List<Integer> current = new ArrayList<>();
    int lastEnd = -1;
    for (Note n : sax) {
      if (lastEnd >= 0 && n.start() - lastEnd > 4 * RATE && !current.isEmpty()) {
        solos.add(current);
        current = new ArrayList<>();
      }
      current.add(n.key());
      lastEnd = n.start() + n.length();
    }
    solos.add(current);
    assertThat(solos).hasSizeGreaterThanOrEqualTo(2);
    assertThat(solos.get(1)).isNotEqualTo(solos.get(0));

    // The chorus sung the first time and the last: the same tune, the last time a whole tone up.
    Score song = compose(s, SONG, g);
    Sheet sheet = new Sheet(g, s);
    List<Arrangement.Span> choruses = Arrangement.lay(Lyrics.parse(SONG), s, sheet, new SplittableRandom(11).split()).stream()
        .filter(span -> span.kind() == Section.CHORUS).toList();
    assertThat(choruses).hasSizeGreaterThan(2);
    List<Note> first = sung(song, sheet, choruses.getFirst());
    List<Note> last = sung(song, sheet, choruses.getLast());
    // The song's final chord may take the last chorus's last note.
    assertThat(last).isNotEmpty().hasSizeBetween(first.size() - 1, first.size());
    int shift = last.getFirst().key() - first.getFirst().key();
    assertThat(Math.floorMod(shift, 12)).isEqualTo(2);
    for (int i = 0; i < last.size(); i++) assertThat(last.get(i).key() - first.get(i).key()).isEqualTo(shift);
    java.util.Set<Integer> home = new java.util.HashSet<>();
    for (int step : s.steps()) home.add(Math.floorMod(s.tonic() + step, 12));
    assertThat(sung(song, sheet, choruses.get(1))).as("the choruses before the last are in the song's key")
        .allSatisfy(n -> assertThat(home).contains(Math.floorMod(n.key(), 12)));
  }

  /** The voice's notes that start within the span. */
  private static List<Note> sung(Score score, Sheet sheet, Arrangement.Span span) {
    double from = sheet.frame(span.start());
    double to = sheet.frame(span.end());
    return voice(score).stream().filter(n -> n.start() >= from && n.start() < to).toList();
  }

  /** Sung or played, the tune keeps to the scale the prompt or the genre names: every note's pitch class is in it. */
  @Test
  void theTuneKeepsToItsScale() {
    for (String prompt : List.of("chinese traditional", "japanese traditional", "klezmer", "pop, minor pentatonic", "rock, key of D, dorian",
        "celtic", "flamenco", "jazz, lydian")) {
      for (String lyrics : List.of(SONG, "[inst]")) {
        Style s = style(prompt, null);
        assertThat(s.scale()).as(prompt).isNotNull();
        java.util.Set<Integer> allowed = new java.util.HashSet<>();
        for (int step : s.steps()) allowed.add(Math.floorMod(s.tonic() + step, 12));
        Score score = compose(s, lyrics, grid(s, 40));
        // Sung, the voice; played, the lead flute's line (panned 0.2, its comping 0.25), where the flute leads.
        boolean sung = lyrics.equals(SONG);
        if (!sung && !s.parts().contains(Part.FLUTE)) continue;
        List<Note> tune = score.notes().stream()
            .filter(n -> sung ? n.part() == Part.VOICE && n.syllable() != Syllable.BREATH : n.part() == Part.FLUTE && n.pan() == 0.2f).toList();
        assertThat(tune).as(prompt + " " + lyrics).isNotEmpty();
        assertThat(tune).as(prompt).allSatisfy(n -> assertThat(allowed).contains(Math.floorMod(n.key(), 12)));
      }
    }
  }

  @Test
  void notesAreSortedAndInsideThePieceForAnyLength() {
    for (String prompt : List.of("pop", "jazz trio", "drum and bass", "solo piano", "waltz", "folk ballad in 6/8", "trap", "ambient")) {
      for (double seconds : new double[] {0.5, 10, 30, 240, 600}) {
        for (String lyrics : List.of(SONG, "[inst]")) {
          Style s = style(prompt, null);
          Grid g = grid(s, seconds);
          Score score = compose(s, lyrics, g);
          assertThat(score.notes()).as(prompt + " " + seconds).isNotEmpty();
          int last = -1;
          for (Note n : score.notes()) {
            assertThat(n.start()).isGreaterThanOrEqualTo(last).isBetween(0, g.frames() - 1);
            assertThat(n.length()).isPositive();
            assertThat(n.velocity()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(n.pan()).isBetween(-1f, 1f);
            assertThat(n.syllable() != null).isEqualTo(n.part() == Part.VOICE);
            assertThat(s.parts()).contains(n.part());
            last = n.start();
          }
        }
      }
    }
  }

  @Test
  void oneSungNotePerSyllableOfTheLinesPlaced() {
    Lyrics lyrics = Lyrics.parse(SONG);
    List<Integer> prefix = new ArrayList<>(List.of(0));
    // Fitting may repeat the song, so count over a few passes of its lines.
    for (int pass = 0; pass < 40; pass++) {
      for (Lyrics.Line line : lyrics.lines()) prefix.add(prefix.getLast() + line.syllables().size());
    }
    Style s = style("pop 120 bpm", null);
    // 18 bars: the song's 16, the closing bar and one to spare, so every line is sung once, no more.
    assertThat(voice(compose(s, SONG, grid(s, 36))).size()).isEqualTo(prefix.get(lyrics.lines().size()));
    for (double seconds : new double[] {4, 9, 16, 21, 33, 47, 60, 95, 180}) {
      int sung = voice(compose(s, SONG, grid(s, seconds))).size();
      assertThat(prefix).as("%s s", seconds).contains(sung);
    }
  }

  @Test
  void aSyllablesLeadingConsonantsComeBeforeItsBeatSoTheVowelLandsOnIt() {
    Style s = style("pop 120 bpm", null);
    Grid grid = grid(s, 36);
    double eighth = grid.framesPerBeat() / 2;
    int early = 0;
    for (Note n : voice(compose(s, SONG, grid))) {
      double lead = Singer.onsetSeconds(n.syllable()) * RATE;
      // The next eighth at or after the note's start is where its vowel begins.
      double beat = Math.ceil((n.start() - grid.downbeat() - 1) / eighth) * eighth + grid.downbeat();
      if (n.syllable().onset().isEmpty()) {
        assertThat(n.start()).as(n.syllable().toString()).isCloseTo((int) Math.round(beat), org.assertj.core.data.Offset.offset(1));
      } else {
        assertThat(beat - n.start()).as(n.syllable().toString()).isBetween(-1.0, lead + 1);
        if (beat - n.start() > 1) early++;
      }
    }
    assertThat(early).as("syllables sung ahead of their beat").isGreaterThan(20);
  }

  @Test
  void eachSungLineIsPrecededByABreathInTheRestBeforeIt() {
    Style s = style("pop 120 bpm", null);
    Score score = compose(s, SONG, grid(s, 36));
    List<Note> breaths = score.notes().stream().filter(n -> n.syllable() == Syllable.BREATH).toList();
    List<Note> sung = voice(score);
    // Every line but one that opens the piece, with no time before it to breathe in.
    int lines = Lyrics.parse(SONG).lines().size();
    assertThat(breaths).hasSize(sung.getFirst().start() < RATE / 4 ? lines - 1 : lines);
    for (Note breath : breaths) {
      Note next = sung.stream().filter(n -> n.start() >= breath.start()).findFirst().orElseThrow();
      // Over before the line's first note, and no longer than half a beat (a quarter second at 120 bpm).
      assertThat(breath.start() + breath.length()).isLessThanOrEqualTo(next.start());
      assertThat(breath.length()).isLessThanOrEqualTo(RATE / 4);
      assertThat(sung.stream().anyMatch(n -> n.start() < breath.start() && n.start() + n.length() > breath.start())).isFalse();
    }
  }

  @Test
  void aReturningChorusIsSungTheSame() {
    Lyrics lyrics = Lyrics.parse(SONG);
    int verse1 = lyrics.blocks().get(0).syllables();
    int chorus = lyrics.blocks().get(1).syllables();
    int verse2 = lyrics.blocks().get(2).syllables();
    for (String prompt : List.of("pop", "jazz", "blues", "reggae", "drum and bass", "waltz")) {
      Style s = style(prompt, null);
      List<Note> sung = voice(compose(s, SONG, grid(s, 240)));
      List<Integer> first = sung.subList(verse1, verse1 + chorus).stream().map(Note::key).toList();
      List<Integer> again = sung.subList(verse1 + chorus + verse2, verse1 + 2 * chorus + verse2).stream().map(Note::key).toList();
      assertThat(again).as(prompt).isEqualTo(first);
      List<Integer> verse = sung.subList(0, verse1).stream().map(Note::key).toList();
      double chorusMean = first.stream().mapToInt(Integer::intValue).average().orElseThrow();
      double verseMean = verse.stream().mapToInt(Integer::intValue).average().orElseThrow();
      assertThat(chorusMean).as(prompt + ": the chorus sits higher").isGreaterThan(verseMean);
      int lowest = sung.stream().mapToInt(Note::key).min().orElseThrow();
      int highest = sung.stream().mapToInt(Note::key).max().orElseThrow();
      assertThat(highest - lowest).as(prompt + ": about an octave and a half").isLessThanOrEqualTo(21);
    }
  }

  @Test
  void sungNotesOnTheBarLinesAreChordTones() {
    for (String prompt : List.of("pop", "jazz with pads", "lo-fi", "edm", "ambient", "soul with pads", "blues with pads")) {
      Style s = style(prompt, null);
      Grid g = grid(s, 90);
      Score score = compose(s, SONG, g);
      List<Note> pads = score.notes().stream().filter(n -> n.part() == Part.PAD).toList();
      int checked = 0;
      for (Note n : voice(score)) {
        double bars = n.start() / g.framesPerBar();
        if (Math.abs(bars - Math.round(bars)) * g.framesPerBar() > 1) continue;
        Set<Integer> sounding = new TreeSet<>();
        pads.stream().filter(p -> p.start() <= n.start() && n.start() < p.start() + p.length()).forEach(p -> sounding.add(p.key() % 12));
        if (sounding.isEmpty()) continue;
        assertThat(sounding).as("%s: %d at %d", prompt, n.key(), n.start()).contains(n.key() % 12);
        checked++;
      }
      assertThat(checked).as(prompt).isPositive();
    }
  }

  @Test
  void drumsLandOnTheGridAllowingForSwing() {
    for (String prompt : List.of("rock", "jazz", "trap", "lo-fi", "house", "funk", "drum and bass", "bossa nova", "reggae")) {
      Style s = style(prompt, null);
      for (double downbeat : new double[] {0, 12_345.5}) {
        Grid g = new Grid(RATE, 30 * RATE, RATE * 60 / s.bpm(), s.beatsPerBar(), downbeat, List.of());
        Sheet sheet = new Sheet(g, s);
        Set<Long> allowed = new TreeSet<>();
        for (int k = -8; k * g.framesPerBeat() / 8 < g.frames() + g.framesPerBeat(); k++) allowed.add(Math.round(sheet.frame(k / 8.0)));
        Score score = compose(s, SONG, g);
        List<Note> drums = score.notes().stream().filter(n -> n.part() == Part.DRUMS).toList();
        assertThat(drums).as(prompt).isNotEmpty();
        for (Note n : drums) {
          boolean onGrid = allowed.contains((long) n.start()) || allowed.contains(n.start() - 1L) || allowed.contains(n.start() + 1L);
          assertThat(onGrid).as("%s drum at %d", prompt, n.start()).isTrue();
        }
      }
    }
  }

  @Test
  void sectionsStartWhereTheGridSays() {
    Style s = style("pop 120 bpm", null);
    List<Integer> starts = List.of(0, 200_000, 470_500, 800_000, 1_100_000);
    Grid g = new Grid(RATE, 1_300_000, 22_050, 4, 10_000, starts);
    Score score = compose(s, SONG, g);
    for (int start : starts.subList(1, starts.size())) {
      assertThat(score.notes()).as("crash at %d", start)
          .anyMatch(n -> n.start() == start && n.part() == Part.DRUMS && n.key() == Kit.CRASH);
      assertThat(score.notes()).as("chords at %d", start).anyMatch(n -> n.start() == start && n.part().harmonic());
    }
    // More spans than the sheet has sections: repeats fill; fewer: the rest is dropped.
    List<Integer> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) many.add(i * 100_000);
    assertThat(compose(s, SONG, new Grid(RATE, 1_250_000, 22_050, 4, 0, many)).notes()).isNotEmpty();
    assertThat(compose(s, SONG, new Grid(RATE, 1_250_000, 22_050, 4, 0, List.of(0, 600_000))).notes()).isNotEmpty();
  }

  @Test
  void threeFourGridsHaveBarsOfThreeBeats() {
    Style s = style("pop in 3/4", null);
    assertThat(s.beatsPerBar()).isEqualTo(3);
    Grid g = grid(s, 40);
    Score score = compose(s, SONG, g);
    double bar = 3 * g.framesPerBeat();
    for (Note n : score.notes()) {
      if (n.part() == Part.PAD || (n.part() == Part.DRUMS && n.key() == Kit.CRASH)) {
        double phase = n.start() / bar - Math.floor(n.start() / bar + 0.5);
        assertThat(Math.abs(phase * bar)).as("%s at %d", n.part(), n.start()).isLessThanOrEqualTo(1);
      }
    }
    // The grid's meter wins over the style's.
    Score four = compose(style("waltz", null), "[inst]", Grid.of(RATE, 20 * RATE, 100, 4));
    assertThat(four.notes()).isNotEmpty();
  }

  @Test
  void brushesSweepTheSnareWhereSticksWouldPlaySnareHatsAndRide() {
    for (String prompt : List.of("jazz trio", "pop rock")) {
      Style sticks = style(prompt, null), brushes = style(prompt + " with brushes", null);
      assertThat(brushes.instruments()).containsEntry(Part.DRUMS, Instrument.BRUSHES);
      assertThat(brushes.unknown()).isEmpty();
      java.util.Set<Integer> stick = drumKeys(compose(sticks, SONG, grid(sticks, 60)));
      java.util.Set<Integer> brush = drumKeys(compose(brushes, SONG, grid(brushes, 60)));
      assertThat(stick).as(prompt).doesNotContain(Kit.BRUSH).containsAnyOf(Kit.SNARE, Kit.HAT, Kit.RIDE);
      assertThat(brush).as(prompt + " with brushes").contains(Kit.BRUSH, Kit.KICK)
          .doesNotContain(Kit.SNARE, Kit.RIM, Kit.CLAP, Kit.HAT, Kit.OPEN_HAT, Kit.PEDAL_HAT, Kit.RIDE);
    }
  }

  private static java.util.Set<Integer> drumKeys(Score score) {
    return score.notes().stream().filter(n -> n.part() == Part.DRUMS).map(Note::key).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void removedDrumsPlayNothing() {
    Style s = style("rock", "drums");
    assertThat(compose(s, SONG, grid(s, 60)).notes()).noneMatch(n -> n.part() == Part.DRUMS).isNotEmpty();
    Style piano = style("solo piano", null);
    assertThat(compose(piano, SONG, grid(piano, 60)).notes()).allMatch(n -> n.part() == Part.PIANO);
  }

  @Test
  void thePieceEndsOnTheTonicChordRingingToTheEnd() {
    for (String prompt : List.of("pop in A minor", "jazz in Bb major", "blues", "cinematic", "ambient", "metal")) {
      for (double seconds : new double[] {7.3, 30, 61.7}) {
        Style s = style(prompt, null);
        Grid g = grid(s, seconds);
        Score score = compose(s, SONG, g);
        double bar = g.framesPerBar();
        double line = Math.floor((g.frames() - 1) / bar) * bar;
        double lastLine = g.frames() - line < g.framesPerBeat() ? line - bar : line;
        Chord tonic = Chord.triad(s.tonic(), s.minor());
        List<Note> tail = score.notes().stream().filter(n -> n.start() >= lastLine - 1 && n.part() != Part.DRUMS).toList();
        assertThat(tail).as(prompt).isNotEmpty().allMatch(n -> tonic.contains(n.key()));
        assertThat(tail).anyMatch(n -> n.start() + n.length() == g.frames());
      }
    }
  }

  @Test
  void genresPlayTheirOwnGrooves() {
    Style house = style("house 124 bpm", null);
    Grid g = grid(house, 60);
    long kicks = compose(house, "[inst]", g).notes().stream().filter(n -> n.part() == Part.DRUMS && n.key() == Kit.KICK).count();
    assertThat(kicks).as("four on the floor").isGreaterThan((long) (0.5 * 124));

    Style jazz = style("jazz 120 bpm", null);
    List<Note> bass = compose(jazz, "[inst]", grid(jazz, 60)).notes().stream().filter(n -> n.part() == Part.BASS).toList();
    assertThat(bass.size()).as("walking quarters").isGreaterThan(60);

    Style ambient = style("slow ambient", null);
    assertThat(compose(ambient, "[inst]", grid(ambient, 60)).notes()).noneMatch(n -> n.part() == Part.DRUMS);
  }

  @Test
  void romanNumeralsReadInTheKey() {
    assertThat(Chord.parse("III", 9, true).root()).isEqualTo(0); // A minor's relative major
    assertThat(Chord.parse("bVII", 0, false).root()).isEqualTo(10);
    assertThat(Chord.parse("V7", 0, false).intervals()).containsExactly(0, 4, 7, 10);
    assertThat(Chord.parse("ii7", 0, false).intervals()).containsExactly(0, 3, 7, 10);
    assertThat(Chord.parse("V", 9, true).intervals()).containsExactly(0, 4, 7); // the minor key's major dominant
    for (Harmony h : Harmony.values()) {
      for (int table = 0; table < 3; table++) {
        for (int alternative = 0; alternative < 4; alternative++) {
          assertThat(h.bars(table, alternative, 4, false)).isNotEmpty();
          assertThat(h.bars(table, alternative, 4, true)).isNotEmpty();
        }
      }
      assertThat(h.leading(0, false)).isNotNull();
    }
  }

  @Test
  void onePartsChoicesDoNotShiftAnothers() {
    Style plain = style("pop with piano", null);
    Style more = style("pop with piano and strings", null);
    Grid g = grid(plain, 40);
    List<Note> piano = compose(plain, SONG, g).notes().stream().filter(n -> n.part() == Part.PIANO).toList();
    List<Note> again = compose(more, SONG, g).notes().stream().filter(n -> n.part() == Part.PIANO).toList();
    assertThat(again).isEqualTo(piano);
  }

  @Test
  void theSameSeedWritesTheSameScore() {
    Style s = style("funk", null);
    Grid g = grid(s, 45);
    assertThat(compose(s, SONG, g)).isEqualTo(compose(s, SONG, g));
    assertThat(Composer.compose(s, Lyrics.parse(SONG), g, new SplittableRandom(12))).isNotEqualTo(compose(s, SONG, g));
  }

  @Test
  void sixHundredSecondsComposeQuickly() {
    Style s = style("drum and bass", null);
    Grid g = grid(s, 600);
    Lyrics lyrics = Lyrics.parse(SONG);
    for (int warm = 0; warm < 5; warm++) Composer.compose(s, lyrics, g, new SplittableRandom(warm));
    long t0 = System.nanoTime();
    Score score = Composer.compose(s, lyrics, g, new SplittableRandom(99));
    System.out.printf("composed 600 s (%d notes) in %.1f ms%n", score.notes().size(), (System.nanoTime() - t0) / 1e6);
  }
}
