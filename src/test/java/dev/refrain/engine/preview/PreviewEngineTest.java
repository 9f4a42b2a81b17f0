package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.Loudness;
import dev.refrain.audio.PcmStream;
import dev.refrain.audio.TruePeak;
import dev.refrain.config.Config;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.EngineProvider;
import dev.refrain.testing.RunsOnce;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview engine as the server uses it: jobs in, mastered streams out, judged by analysing the audio. */
// Runs once, in the default execution: no store is involved.
@RunsOnce
class PreviewEngineTest {
  private static final String LYRICS = """
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      [chorus]
      Sing it loud, sing it clear
      Everybody's here""";

  @TempDir
  Path scratch;

  private PreviewEngine engine() {
    return new PreviewEngine(1, scratch);
  }

  @Test
  void txt2audioIsExactlyTheDurationAt44100StereoAndMastered() throws Exception {
    for (double seconds : new double[] {0.5, 12.3456, 61}) {
      AudioClip clip = render(txt("lofi piano", "[inst]", seconds, 1));
      assertThat(clip.sampleRate()).isEqualTo(44_100);
      assertThat(clip.channelCount()).isEqualTo(2);
      assertThat(clip.frames()).isEqualTo(Math.round(seconds * 44_100));
      if (seconds > 10) assertMastered(clip, "lofi piano " + seconds);
    }
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void everyPromptComesOutAtMinus14LufsUnderMinus1Dbtp() throws Exception {
    for (String prompt : List.of("slow ambient", "hard rock, drums and bass", "solo piano ballad",
        "edm synth 128 bpm", "acoustic guitar folk", "orchestral strings", "drum and bass", "trap beat",
        "jazz trio with sax", "reggae", "bossa nova", "gospel organ")) {
      assertMastered(render(txt(prompt, LYRICS, 30, prompt.length())), prompt);
    }
  }

  @Test
  void encodedOutputsKeepTheTruePeakPromiseOnceDecoded() throws Exception {
    for (String prompt : List.of("loud aggressive metal, distorted guitar, drums", "drum and bass")) {
      EngineJob txt = txt(prompt, LYRICS, 20, 3);
      AudioClip forWav = render(withFormat(txt, OutputFormat.WAV));
      AudioClip wav = AudioDecoder.decode(AudioEncoder.encode(forWav, OutputFormat.WAV, 0), 600);
      assertThat(TruePeak.of(wav)).as(prompt + " wav").isLessThanOrEqualTo(-1.0);
      assertThat(Loudness.integrated(wav)).isCloseTo(-14, within(1.0));
      // MP3's low-pass and quantisation noise raise peaks: its renders leave more headroom.
      AudioClip forMp3 = render(withFormat(txt, OutputFormat.MP3));
      for (int kbps : new int[] {128, 192, 320}) {
        AudioClip mp3 = AudioDecoder.decode(AudioEncoder.encode(forMp3, OutputFormat.MP3, kbps), 600);
        assertThat(TruePeak.of(mp3)).as(prompt + " mp3 " + kbps).isLessThanOrEqualTo(-1.0);
        assertThat(Loudness.integrated(mp3)).isCloseTo(-14, within(1.0));
      }
    }
  }

  @Test
  void audio2audioAndEditKeepTheSourceLengthAndRate() throws Exception {
    AudioClip stereo = tone(48_000, 2, 7.31);
    AudioClip a2a = render(job(TaskType.AUDIO2AUDIO, "funk guitar", LYRICS, null, null, 0, 0, 0, 5, stereo));
    assertThat(a2a.sampleRate()).isEqualTo(48_000);
    assertThat(a2a.channelCount()).isEqualTo(2);
    assertThat(a2a.frames()).isEqualTo(stereo.frames());

    AudioClip mono = tone(32_000, 1, 5.5);
    AudioClip edit = render(job(TaskType.EDIT, "ignored", "[inst]", "jazz piano trio", LYRICS, 0, 0, 0, 5, mono));
    assertThat(edit.sampleRate()).isEqualTo(32_000);
    assertThat(edit.channelCount()).isEqualTo(2);
    assertThat(edit.frames()).isEqualTo(mono.frames());
    assertThat(TruePeak.of(a2a)).isLessThanOrEqualTo(-1.0);
    assertThat(TruePeak.of(edit)).isLessThanOrEqualTo(-1.0);
  }

  @Test
  void audio2audioAndEditFollowTheInputsTempoAndKey() throws Exception {
    AudioClip input = render(txt("funk rock with drums, 104 bpm, in E major", "[inst]", 40, 21));
    Analysis in = Analysis.of(input);
    assertThat(in.bpm()).isCloseTo(104, within(1.0));

    Ctx a2aCtx = new Ctx(Integer.MAX_VALUE);
    Ctx editCtx = new Ctx(Integer.MAX_VALUE);
    AudioClip a2a = render(job(TaskType.AUDIO2AUDIO, "house music with piano", "[inst]", null, null, 0, 0, 0, 8, input), a2aCtx);
    AudioClip edit = render(job(TaskType.EDIT, "", "", "jazz with sax and drums", "[inst]", 0, 0, 0, 9, input), editCtx);
    // Composed in the input's key and tempo, in the new style ...
    assertThat(String.join("\n", a2aCtx.logs)).contains("house, 10", "E major");
    assertThat(String.join("\n", editCtx.logs)).contains("jazz, 10", "E major");
    // What the new performance took from the input, and why not the rest.
    assertThat(String.join("\n", editCtx.logs)).contains("bass line from the source", "melody: nothing sung",
        "drums: the jazz groove's own kick and snare");
    assertThat(String.join("\n", a2aCtx.logs)).contains("bass line from the source").doesNotContain("melody:", "drums:");
    // ... and it sounds that way.
    for (AudioClip out : List.of(a2a, edit)) {
      Analysis a = Analysis.of(out);
      assertThat(out.frames()).isEqualTo(input.frames());
      assertThat(a.bpm()).isCloseTo(104, within(1.5));
      assertThat(sameKeyOrNeighbour(a, 4, false)).as("key %d minor=%s", a.tonic(), a.minor()).isTrue();
      assertMastered(out, "audio-driven");
    }
  }

  @Test
  void txt2audioWithAReferenceTakesItsTempoAndKeyAndKeepsTheDurationAsked() throws Exception {
    AudioClip reference = render(txt("funk rock with drums, 104 bpm, in E major", "[inst]", 40, 21));
    Analysis ref = Analysis.of(reference);
    assertThat(ref.bpm()).isCloseTo(104, within(1.0));
    // What the prompt and seed give alone: house tempo, in a key nowhere near the reference's.
    Analysis alone = Analysis.of(render(txt("house music with piano", "[inst]", 30, 4)));
    assertThat(alone.bpm()).isBetween(118.0, 130.0);
    assertThat(sameKeyOrNeighbour(alone, ref.tonic(), ref.minor())).as("key %d minor=%s", alone.tonic(), alone.minor()).isFalse();

    Ctx ctx = new Ctx(Integer.MAX_VALUE);
    AudioClip out = render(referenced("house music with piano", 30, 4, reference), ctx);
    assertThat(out.frames()).isEqualTo(30 * 44_100);
    Analysis a = Analysis.of(out);
    assertThat(a.bpm()).isCloseTo(ref.bpm(), within(1.5));
    assertThat(sameKeyOrNeighbour(a, ref.tonic(), ref.minor())).as("key %d minor=%s", a.tonic(), a.minor()).isTrue();
    assertMastered(out, "with a reference");
    String logs = String.join("\n", ctx.logs);
    assertThat(logs).contains(String.format(java.util.Locale.ROOT, "reference: %.0f BPM, %s, balanced timbre", ref.bpm(),
        Style.keyName(ref.tonic(), ref.minor())));
    assertThat(logs).containsPattern("preview engine: .*house, [0-9.]+ bpm, 4/4, " + Style.keyName(ref.tonic(), ref.minor()))
        .doesNotContain("not used");
  }

  @Test
  void aReferencesBrightnessShowsInTheResult() throws Exception {
    AudioClip reference = render(txt("funk rock with drums, 104 bpm, in E major", "[inst]", 30, 21));
    // The same music through a low-pass and through a pre-emphasis: one tempo and key, two timbres.
    AudioClip dark = filtered(reference, false);
    AudioClip bright = filtered(reference, true);
    assertThat(Analysis.of(dark).centroidHz()).isLessThan(1000);
    assertThat(Analysis.of(bright).centroidHz()).isGreaterThan(4000);
    for (String prompt : List.of("lofi hip hop", "orchestral strings", "hard rock, drums and bass")) {
      Ctx darkCtx = new Ctx(Integer.MAX_VALUE);
      Ctx brightCtx = new Ctx(Integer.MAX_VALUE);
      Analysis fromDark = Analysis.of(render(referenced(prompt, 20, 5, dark), darkCtx));
      Analysis fromBright = Analysis.of(render(referenced(prompt, 20, 5, bright), brightCtx));
      assertThat(String.join("\n", darkCtx.logs)).contains("dark timbre");
      assertThat(String.join("\n", brightCtx.logs)).contains("bright timbre");
      assertThat(fromBright.centroidHz()).as(prompt).isGreaterThan(1.2 * fromDark.centroidHz());
    }
  }

  @Test
  void aSilentReferenceGivesNothingAndTheSameMusicAsNone() throws Exception {
    Ctx ctx = new Ctx(Integer.MAX_VALUE);
    AudioClip out = render(referenced("chill guitar, 90 bpm", 10, 4, AudioClip.silence(44_100, 2, 5 * 44_100)), ctx);
    assertThat(String.join("\n", ctx.logs)).contains("reference: silent", "90 bpm");
    assertThat(out.channels()).isDeepEqualTo(render(txt("chill guitar, 90 bpm", "[inst]", 10, 4)).channels());
  }

  @Test
  void aTraditionPlaysItsInstrumentsAndTheLogsListWordsNotUnderstood() throws Exception {
    Ctx ctx = new Ctx(Integer.MAX_VALUE);
    AudioClip out = render(txt("chinese traditional, erhu, pentatonic, zorblat", "[inst]", 8, 1), ctx);
    assertMastered(out, "chinese traditional");
    String logs = String.join("\n", ctx.logs);
    assertThat(logs).contains("chinese traditional", "pentatonic", "erhu", "guzheng", "not understood, so ignored: zorblat");
  }

  @Test
  void theLogsGiveTheFormWithEachSectionsStartAndNumberDifferentVerses() throws Exception {
    Ctx ctx = new Ctx(Integer.MAX_VALUE);
    render(txt("pop, 120 bpm", "[verse]\nfirst verse line\n[chorus]\nthe hook\n[verse]\nsecond verse line\n[chorus]", 40, 1), ctx);
    String form = ctx.logs.stream().filter(l -> l.startsWith("form: ")).findFirst().orElseThrow();
    // 120 bpm: 2 s a bar; each section's start in whole seconds, the chorus one material, the verses two.
    assertThat(form).containsPattern("^form: (intro 0:00, )?verse 1 0:\\d\\d, chorus 0:\\d\\d, verse 2 0:\\d\\d, chorus 0:\\d\\d");
  }

  /**
   * audio2audio and edit play over the input's chords: bar by bar, the chord heard in the output is
   * the input's in at least half its bars, where a new piece at the same tempo and key agrees far less.
   */
  @Test
  void audio2audioAndEditPlayOverTheInputsChords() throws Exception {
    AudioClip source = render(txt("piano and strings, 96 bpm in D major", "[inst]", 30, 6));
    Analysis heard = Analysis.of(source);
    Ctx ctx = new Ctx(Integer.MAX_VALUE);
    AudioClip a2a = render(job(TaskType.AUDIO2AUDIO, "rock, electric guitar, drums", "[inst]", null, null, 0, 0, 0, 3, source), ctx);
    AudioClip edit = render(job(TaskType.EDIT, "", "", "bossa nova, nylon guitar", "[inst]", 0, 0, 0, 3, source));
    AudioClip fresh = render(txt("rock, electric guitar, drums, 96 bpm in D major", "[inst]", 30, 3));
    double a2aAgrees = agreement(heard, Analysis.of(a2a));
    double editAgrees = agreement(heard, Analysis.of(edit));
    double freshAgrees = agreement(heard, Analysis.of(fresh));
    System.out.printf("chords agree: audio2audio %.2f, edit %.2f, a new piece %.2f%n", a2aAgrees, editAgrees, freshAgrees);
    // Measured: audio2audio 0.67, edit 0.58, a new piece 0.25 (chord labels heard twice over, each time from a full mix).
    assertThat(a2aAgrees).as("audio2audio").isGreaterThanOrEqualTo(0.5);
    assertThat(editAgrees).as("edit").isGreaterThanOrEqualTo(0.5);
    assertThat(freshAgrees).as("a new piece").isLessThan(Math.min(a2aAgrees, editAgrees) - 0.25);
    assertThat(String.join("\n", ctx.logs)).contains("harmony from the input: ");
  }

  /** The share of the input's bars (after the first) whose chord the output has at the bar's middle. */
  private static double agreement(Analysis input, Analysis output) {
    double bar = input.beatsPerBar() * 60 / input.bpm();
    int same = 0, bars = 0;
    for (Analysis.BarChord c : input.chords()) {
      if (c.seconds() < bar / 2) continue;
      Analysis.BarChord at = null;
      for (Analysis.BarChord o : output.chords()) {
        if (o.seconds() <= c.seconds() + bar / 2) at = o;
      }
      bars++;
      if (at != null && at.root() == c.root() && at.minor() == c.minor()) same++;
    }
    return bars == 0 ? 0 : same / (double) bars;
  }

  @Test
  void extendKeepsTheSourceBitExactInTheMiddle() throws Exception {
    AudioClip source = render(txt("pop rock 120 bpm in G major, drums", "[inst]", 12, 4));
    AudioClip out = render(job(TaskType.EXTEND, "pop rock", LYRICS, null, null, 0, 6.5, 8.25, 9, source));
    int left = (int) Math.round(6.5 * 44_100);
    int right = (int) Math.round(8.25 * 44_100);
    assertThat(out.frames()).isEqualTo(left + source.frames() + right);
    for (int c = 0; c < 2; c++) {
      assertThat(Arrays.copyOfRange(out.channels()[c], left, left + source.frames())).isEqualTo(source.channels()[c]);
    }
    // The new parts are music, not silence, and are mastered like any output.
    assertMastered(slice(out, 0, left), "left part");
    assertMastered(slice(out, left + source.frames(), out.frames()), "right part");
  }

  /**
   * A quiet source cut mid-sound on both sides: the joins step no further than the source's own
   * sample steps do (its 99.9th percentile), and the new parts meet −14 LUFS / −1 dBTP around it.
   * (Before: the new parts replayed the source's first and last beat, so each join jumped between
   * two unrelated source samples, and they were mastered to the source's loudness.)
   */
  @Test
  void extendJoinsWithoutClicksAndMastersTheNewPartsAroundTheQuietSource() throws Exception {
    // Low-passed: small sample steps, so a jump at a join stands out.
    AudioClip song = filtered(render(txt("ambient pad, strings, 70 bpm", "[inst]", 14, 4)), false);
    int[][] cuts = {{60_413, 578_131}, {11_025, 600_000}, {133_337, 455_555}, {88_200, 529_201}};
    for (int[] cut : cuts) {
      AudioClip source = slice(song, cut[0], cut[1]); // edges mid-note
      for (float[] c : source.channels()) {
        for (int i = 0; i < c.length; i++) c[i] *= 0.45f;
      }
      double sourceLufs = Loudness.integrated(source);
      assertThat(sourceLufs).isLessThan(-18);

      Ctx ctx = new Ctx(Integer.MAX_VALUE);
      AudioClip out = render(job(TaskType.EXTEND, "pop rock", LYRICS, null, null, 0, 5, 7, 3, source), ctx);
      String what = "source cut at " + Arrays.toString(cut);
      int left = 5 * 44_100;
      int end = left + source.frames();
      for (int c = 0; c < 2; c++) {
        assertThat(Arrays.copyOfRange(out.channels()[c], left, end)).as(what).isEqualTo(source.channels()[c]);
      }
      // The step across each join is no bigger than the source's own steps; around the join, within a
      // millisecond, no step is bigger than those of the source or the new part itself (no spike).
      double allowed = stepPercentile(source, 0.999);
      assertThat(maxStep(out, left - 1, left + 1)).as(what + ", left join").isLessThanOrEqualTo(allowed);
      assertThat(maxStep(out, end - 1, end + 1)).as(what + ", right join").isLessThanOrEqualTo(allowed);
      int ms = 44;
      assertThat(maxStep(out, left - ms, left + ms)).as(what + ", around the left join")
          .isLessThanOrEqualTo(Math.max(allowed, stepPercentile(slice(out, 0, left - ms), 0.999)));
      assertThat(maxStep(out, end - ms, end + ms)).as(what + ", around the right join")
          .isLessThanOrEqualTo(Math.max(allowed, stepPercentile(slice(out, end + ms, out.frames()), 0.999)));
      assertMastered(slice(out, 0, left), what + ", left part");
      assertMastered(slice(out, end, out.frames()), what + ", right part");
      assertThat(String.join("\n", ctx.logs)).contains("new parts mastered to -14.0 LUFS", "source untouched",
          String.format(java.util.Locale.ROOT, "%.1f LUFS", sourceLufs));
    }
  }

  @Test
  void extendKeepsMonoAndOddRatesAndOneSidedRequests() throws Exception {
    AudioClip mono = noise(22_050, 1, 4.321, 7);
    AudioClip out = render(job(TaskType.EXTEND, "ambient pad", LYRICS, null, null, 0, 1.5, 2.25, 9, mono));
    assertThat(out.sampleRate()).isEqualTo(22_050);
    assertThat(out.channelCount()).isEqualTo(1);
    int left = (int) Math.round(1.5 * 22_050);
    assertThat(out.frames()).isEqualTo(left + mono.frames() + (int) Math.round(2.25 * 22_050));
    assertThat(Arrays.copyOfRange(out.channels()[0], left, left + mono.frames())).isEqualTo(mono.channels()[0]);

    AudioClip stereo = noise(44_100, 2, 3, 3);
    AudioClip right = render(job(TaskType.EXTEND, "rock", "[inst]", null, null, 0, 0, 10, 1, stereo));
    assertThat(right.frames()).isEqualTo(stereo.frames() + 10 * 44_100);
    for (int c = 0; c < 2; c++) {
      assertThat(Arrays.copyOfRange(right.channels()[c], 0, stereo.frames())).isEqualTo(stereo.channels()[c]);
    }
  }

  @Test
  void silentTinyAndLowRateInputsStillGiveMusicOfTheRightLength() throws Exception {
    List<AudioClip> inputs = List.of(AudioClip.silence(44_100, 2, 5 * 44_100), AudioClip.silence(8_000, 1, 1_600),
        noise(8_000, 1, 0.05, 1), tone(11_025, 1, 3));
    for (AudioClip input : inputs) {
      String what = input.sampleRate() + " Hz, " + input.frames() + " frames";
      AudioClip a2a = render(job(TaskType.AUDIO2AUDIO, "pop", "[inst]", null, null, 0, 0, 0, 1, input));
      Ctx editCtx = new Ctx(Integer.MAX_VALUE);
      AudioClip edit = render(job(TaskType.EDIT, "", "", "rock", LYRICS, 0, 0, 0, 1, input), editCtx);
      if (input.frames() == 5 * 44_100) {
        assertThat(String.join("\n", editCtx.logs)).contains("melody: none heard in the source", "bass line: none heard in the source",
            "drums: no kick heard in the source");
      }
      AudioClip extend = render(job(TaskType.EXTEND, "folk", "[inst]", null, null, 0, 1, 2, 1, input));
      assertThat(a2a.frames()).as(what).isEqualTo(input.frames());
      assertThat(edit.frames()).as(what).isEqualTo(input.frames());
      assertThat(extend.frames()).as(what).isEqualTo(input.frames() + 3 * input.sampleRate());
      for (AudioClip out : List.of(a2a, edit, extend)) {
        for (float[] c : out.channels()) {
          for (float v : c) assertThat(Float.isFinite(v) && Math.abs(v) <= 1).as(what).isTrue();
        }
      }
    }
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void theSameRequestAndSeedGiveIdenticalBytesAndAnotherSeedOtherAudio() throws Exception {
    EngineJob job = txt("dreamy synth pop, 100 bpm in E minor", LYRICS, 20, 42);
    byte[] a = AudioEncoder.encode(render(job), OutputFormat.MP3, 192);
    byte[] b = AudioEncoder.encode(render(job), OutputFormat.MP3, 192);
    byte[] c = AudioEncoder.encode(render(txt("dreamy synth pop, 100 bpm in E minor", LYRICS, 20, 43)), OutputFormat.MP3, 192);
    assertThat(a).isEqualTo(b);
    assertThat(Arrays.equals(a, c)).isFalse();
  }

  @Test
  void thePromptShowsInTheAnalysedResult() throws Exception {
    assertThat(Analysis.of(render(txt("slow ambient", "[inst]", 40, 2))).bpm()).isLessThan(90);
    assertThat(Analysis.of(render(txt("drum and bass", "[inst]", 40, 2))).bpm()).isGreaterThan(160);
    Analysis aMinor = Analysis.of(render(txt("piano and strings in A minor, 80 bpm", "[inst]", 40, 2)));
    assertThat(sameKeyOrNeighbour(aMinor, 9, true)).isTrue();
    assertThat(Analysis.of(render(txt("rock, 132 bpm", "[inst]", 40, 2))).bpm()).isCloseTo(132, within(1.0));
  }

  @Test
  void aPianoOnlyPromptHasNoDrumOnsets() throws Exception {
    int piano = drumOnsets(render(txt("solo piano", "[inst]", 30, 6)));
    int drums = drumOnsets(render(txt("piano with drums", "[inst]", 30, 6)));
    assertThat(piano).isZero();
    assertThat(drums).isGreaterThan(20);
  }

  @Test
  void lyricsAddASungLine() throws Exception {
    AudioClip inst = render(txt("pop ballad", "[inst]", 20, 11));
    AudioClip sung = render(txt("pop ballad", LYRICS, 20, 11));
    assertThat(Arrays.equals(inst.channels()[0], sung.channels()[0])).isFalse();
    assertThat(render(txt("pop ballad", "[instrumental]", 20, 11)).channels()).isDeepEqualTo(inst.channels());
  }

  @Test
  void cancellationStopsALongRenderBetweenBlocks() {
    var ctx = new Ctx(3);
    long start = System.nanoTime();
    assertThatThrownBy(() -> engine().render(txt("rock with guitar and strings", LYRICS, 240, 1), ctx))
        .isInstanceOf(CancellationException.class);
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void progressRisesAndTheLogSaysWhatMadeTheAudio() throws Exception {
    var ctx = new Ctx(Integer.MAX_VALUE);
    PcmStream.readAll(((EngineOutput.Stream) engine().render(txt("chill guitar, 90 bpm, in A minor", "[inst]", 10, 77), ctx)).pcm());
    assertThat(ctx.progress).isSorted().last().satisfies(p -> assertThat(p).isGreaterThan(0.9));
    assertThat(String.join("\n", ctx.logs)).contains("procedural", "no neural model", "90 bpm", "A minor", "seed 77", "-14");
  }

  @Test
  void isFoundByServiceLoaderAsPreview() {
    EngineProvider provider = ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("preview")).findFirst().orElseThrow();
    var created = provider.create(Config.fromMap(Map.of("REFRAIN_DATA_DIR", scratch.toString())));
    assertThat(created.name()).isEqualTo("preview");
    for (TaskType type : TaskType.values()) assertThat(created.serves(type)).isTrue();
  }

  // --- helpers ---

  private AudioClip render(EngineJob job) throws Exception {
    return render(job, new Ctx(Integer.MAX_VALUE));
  }

  private AudioClip render(EngineJob job, Ctx ctx) throws Exception {
    return PcmStream.readAll(((EngineOutput.Stream) engine().render(job, ctx)).pcm());
  }

  private static void assertMastered(AudioClip clip, String what) {
    assertThat(Loudness.integrated(clip)).as(what + " loudness").isCloseTo(-14, within(1.0));
    assertThat(TruePeak.of(clip)).as(what + " true peak").isLessThanOrEqualTo(-1.0);
  }

  /**
   * The analysed key is the one asked for, its relative, or a fifth away: a whole mix that dwells on
   * its dominant or subdominant chords can read that way to a key profile (the key-finder itself is
   * held to exact keys on plain progressions in the audio tests).
   */
  private static boolean sameKeyOrNeighbour(Analysis a, int tonic, boolean minor) {
    // Majors and minors on one circle of fifths: a minor key sits where its relative major does.
    int at = Math.floorMod((minor ? tonic + 3 : tonic) * 7, 12);
    int found = Math.floorMod((a.minor() ? a.tonic() + 3 : a.tonic()) * 7, 12);
    int steps = Math.floorMod(found - at, 12);
    return steps == 0 || steps == 1 || steps == 11;
  }

  private static EngineJob txt(String prompt, String lyrics, double seconds, long seed) {
    return job(TaskType.TXT2AUDIO, prompt, lyrics, null, null, seconds, 0, 0, seed, null);
  }

  private static EngineJob job(TaskType type, String prompt, String lyrics, String editPrompt, String editLyrics,
      double seconds, double left, double right, long seed, AudioClip source) {
    return job(type, prompt, lyrics, editPrompt, editLyrics, seconds, left, right, seed, source, null);
  }

  /** A txt2audio, instrumental, with {@code reference} as its style_audio. */
  private static EngineJob referenced(String prompt, double seconds, long seed, AudioClip reference) {
    TaskInput input = new TaskInput.Txt2Audio(prompt, "[inst]", seconds, "", null, "http://example.com/reference.wav", seed, null,
        null, null);
    return new EngineJob("t", input, seed, null, reference);
  }

  private static EngineJob job(TaskType type, String prompt, String lyrics, String editPrompt, String editLyrics,
      double seconds, double left, double right, long seed, AudioClip source, OutputFormat format) {
    String url = source == null ? null : "http://example.com/source.wav";
    TaskInput input = switch (type) {
      case TXT2AUDIO -> new TaskInput.Txt2Audio(prompt, lyrics, seconds, "", null, null, seed, null, null, format);
      case AUDIO2AUDIO -> new TaskInput.Audio2Audio(url, prompt, lyrics, "", null, seed, null, null, null, format);
      case EDIT -> new TaskInput.Edit(url, prompt, lyrics, editPrompt, editLyrics, seed, null, null, null, format);
      case EXTEND -> new TaskInput.Extend(url, left, right, prompt, lyrics, "", null, seed, null, null, format);
    };
    return new EngineJob("t", input, seed, source, null);
  }

  private static EngineJob withFormat(EngineJob j, OutputFormat format) {
    return job(j.type(), j.stylePrompt(), j.lyrics(), j.editStylePrompt(), j.editLyrics(), j.duration(), j.leftExtend(),
        j.rightExtend(), j.seed(), j.sourceAudio(), format);
  }

  /** The largest step between neighbouring samples of any channel across frames [from, to). */
  private static double maxStep(AudioClip clip, int from, int to) {
    double max = 0;
    for (float[] c : clip.channels()) {
      for (int i = from + 1; i < to; i++) max = Math.max(max, Math.abs(c[i] - c[i - 1]));
    }
    return max;
  }

  /** The {@code q} quantile of the steps between neighbouring samples, over every channel. */
  private static double stepPercentile(AudioClip clip, double q) {
    double[] steps = new double[clip.channelCount() * (clip.frames() - 1)];
    int k = 0;
    for (float[] c : clip.channels()) {
      for (int i = 1; i < c.length; i++) steps[k++] = Math.abs(c[i] - c[i - 1]);
    }
    Arrays.sort(steps);
    return steps[(int) Math.floor(q * (steps.length - 1))];
  }

  private static AudioClip slice(AudioClip clip, int from, int to) {
    float[][] out = new float[clip.channelCount()][];
    for (int c = 0; c < out.length; c++) out[c] = Arrays.copyOfRange(clip.channels()[c], from, to);
    return new AudioClip(clip.sampleRate(), out);
  }

  /** The clip through a one-pole low-pass at about 600 Hz (dark), or a 0.95 pre-emphasis (bright). */
  private static AudioClip filtered(AudioClip clip, boolean bright) {
    float[][] out = new float[clip.channelCount()][];
    for (int c = 0; c < out.length; c++) {
      float[] x = clip.channels()[c];
      float[] y = new float[x.length];
      double low = 0;
      for (int i = 0; i < x.length; i++) {
        low += 0.08 * (x[i] - low);
        y[i] = (float) (bright ? 0.5 * (x[i] - 0.95 * (i > 0 ? x[i - 1] : 0)) : low);
      }
      out[c] = y;
    }
    return new AudioClip(clip.sampleRate(), out);
  }

  /** A source with a loud and a quiet half, so the loudness contour has something to follow. */
  private static AudioClip tone(int rate, int channels, double seconds) {
    int frames = (int) Math.round(seconds * rate);
    float[][] data = new float[channels][frames];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        data[c][i] = (float) ((i < frames / 2 ? 0.5 : 0.05) * Math.sin(2 * Math.PI * 220 * i / rate));
      }
    }
    return new AudioClip(rate, data);
  }

  private static AudioClip noise(int rate, int channels, double seconds, long seed) {
    var rng = new java.util.SplittableRandom(seed);
    float[][] data = new float[channels][(int) Math.round(seconds * rate)];
    for (float[] c : data) {
      for (int i = 0; i < c.length; i++) c[i] = (float) (0.3 * (rng.nextDouble() * 2 - 1));
    }
    return new AudioClip(rate, data);
  }

  /**
   * Percussive attacks: 10 ms frames whose energy above 6 kHz (where drums and cymbals live and a
   * piano has next to nothing) jumps by over 12 dB to within 26 dB of an average frame's full-band energy.
   */
  private static int drumOnsets(AudioClip clip) {
    float[] x = clip.channels()[0];
    int rate = clip.sampleRate();
    // Two cascaded one-pole high-passes at 6 kHz: enough to leave the piano's partials 30+ dB down.
    double a = Math.exp(-2 * Math.PI * 6000.0 / rate);
    double in1 = 0, out1 = 0, in2 = 0, out2 = 0;
    int hop = rate / 100;
    double[] energy = new double[x.length / hop];
    for (int f = 0; f < energy.length; f++) {
      for (int i = f * hop; i < (f + 1) * hop; i++) {
        out1 = a * (out1 + x[i] - in1);
        in1 = x[i];
        out2 = a * (out2 + out1 - in2);
        in2 = out1;
        energy[f] += out2 * out2;
      }
    }
    double full = 0;
    for (float v : x) full += (double) v * v;
    full /= energy.length;
    int onsets = 0;
    for (int f = 1; f < energy.length; f++) {
      if (energy[f] > full * 2.5e-3 && energy[f] > 16 * energy[f - 1]) onsets++;
    }
    return onsets;
  }

  /** Records progress and logs; reports cancelled once it has seen {@code cancelAfter} progress calls. */
  private static final class Ctx implements EngineContext {
    final int cancelAfter;
    final List<Double> progress = new ArrayList<>();
    final List<String> logs = new ArrayList<>();

    Ctx(int cancelAfter) {
      this.cancelAfter = cancelAfter;
    }

    @Override
    public void progress(double fraction, String stage) {
      progress.add(fraction);
    }

    @Override
    public void log(String line) {
      logs.add(line);
    }

    @Override
    public boolean cancelled() {
      return progress.size() >= cancelAfter;
    }
  }
}
