package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.audio.AudioClip;
import dev.refrain.config.Config;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.EngineProvider;
import dev.refrain.task.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class PreviewEngineTest {
  private static final String LYRICS = """
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      [chorus]
      Sing it loud, sing it clear
      Everybody's here""";

  private final PreviewEngine engine = new PreviewEngine(1);

  @Test
  void txt2audioIsTheDurationAt44100Stereo() throws Exception {
    AudioClip clip = render(txt("lofi piano", "[inst]", 12.3456, 1));
    assertThat(clip.sampleRate()).isEqualTo(44_100);
    assertThat(clip.channelCount()).isEqualTo(2);
    assertThat(clip.frames()).isEqualTo(Math.round(12.3456 * 44_100));
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
    assertAudible(a2a.channels());
    assertAudible(edit.channels());
  }

  @Test
  void extendAddsBothSidesAndCopiesTheSourceBitExactly() throws Exception {
    AudioClip source = noise(22_050, 1, 4.321, 7);
    AudioClip out = render(job(TaskType.EXTEND, "ambient pad", LYRICS, null, null, 0, 1.5, 2.25, 9, source));
    int left = (int) Math.round(1.5 * 22_050);
    int right = (int) Math.round(2.25 * 22_050);
    assertThat(out.sampleRate()).isEqualTo(22_050);
    assertThat(out.channelCount()).isEqualTo(1);
    assertThat(out.frames()).isEqualTo(left + source.frames() + right);
    float[] ch = out.channels()[0];
    assertThat(Arrays.copyOfRange(ch, left, left + source.frames())).isEqualTo(source.channels()[0]);
    float[] before = Arrays.copyOfRange(ch, 0, left);
    float[] after = Arrays.copyOfRange(ch, left + source.frames(), ch.length);
    assertThat(Levels.peak(before, after)).isLessThanOrEqualTo(dbfs(-1));
    assertAudible(before);
    assertAudible(after);
  }

  @Test
  void extendOnOneSideKeepsStereoSources() throws Exception {
    AudioClip source = noise(44_100, 2, 3, 3);
    AudioClip out = render(job(TaskType.EXTEND, "rock", "[inst]", null, null, 0, 0, 10, 1, source));
    assertThat(out.channelCount()).isEqualTo(2);
    assertThat(out.frames()).isEqualTo(source.frames() + 10 * 44_100);
    for (int c = 0; c < 2; c++) {
      assertThat(Arrays.copyOfRange(out.channels()[c], 0, source.frames())).isEqualTo(source.channels()[c]);
    }
  }

  @Test
  void theSameSeedGivesTheSameBitsAndAnotherSeedOtherAudio() throws Exception {
    AudioClip a = render(txt("dreamy synth pop, 100 bpm in E minor", LYRICS, 20, 42));
    AudioClip b = render(txt("dreamy synth pop, 100 bpm in E minor", LYRICS, 20, 42));
    AudioClip c = render(txt("dreamy synth pop, 100 bpm in E minor", LYRICS, 20, 43));
    assertThat(a.channels()).isDeepEqualTo(b.channels());
    assertThat(Arrays.equals(a.channels()[0], c.channels()[0])).isFalse();
  }

  @Test
  void cancellationStopsALongRenderBetweenBlocks() {
    var ctx = new Ctx(3);
    long start = System.nanoTime();
    assertThatThrownBy(() -> engine.render(txt("rock with guitar and strings", LYRICS, 240, 1), ctx))
        .isInstanceOf(CancellationException.class);
    assertThat(ctx.progress).hasSize(3);
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void progressRisesToOneAndTheLogSaysWhatMadeTheAudio() throws Exception {
    var ctx = new Ctx(Integer.MAX_VALUE);
    engine.render(txt("chill guitar, 90 bpm, in A minor", "[inst]", 10, 77), ctx);
    assertThat(ctx.progress).isSorted().last().isEqualTo(1.0);
    assertThat(ctx.logs).singleElement().asString()
        .contains("procedural", "no neural model", "90 bpm", "A minor", "seed 77");
  }

  @Test
  void outputPeaksUnderMinusOneDbfsAndIsNeverQuiet() throws Exception {
    for (String prompt : List.of("ambient", "hard rock, drums and bass", "solo piano ballad", "edm synth 128 bpm",
        "acoustic guitar folk", "strings")) {
      AudioClip clip = render(txt(prompt, LYRICS, 15, prompt.length()));
      assertThat(Levels.peak(clip.channels())).as(prompt).isLessThanOrEqualTo(dbfs(-1));
      assertAudible(clip.channels());
    }
  }

  @Test
  void tempoInThePromptChangesTheOnsetRate() throws Exception {
    double slow = onsetsPerSecond(render(txt("pop, 90 bpm", "[inst]", 30, 5)));
    double fast = onsetsPerSecond(render(txt("pop, 150 bpm", "[inst]", 30, 5)));
    assertThat(fast).isGreaterThan(1.3 * slow);
  }

  @Test
  void lyricsAddASungLine() throws Exception {
    AudioClip inst = render(txt("pop ballad", "[inst]", 20, 11));
    AudioClip sung = render(txt("pop ballad", LYRICS, 20, 11));
    assertThat(Arrays.equals(inst.channels()[0], sung.channels()[0])).isFalse();
    assertThat(render(txt("pop ballad", "[instrumental]", 20, 11)).channels()).isDeepEqualTo(inst.channels());
  }

  @Test
  void isFoundByServiceLoaderAsPreview() {
    EngineProvider provider = ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("preview")).findFirst().orElseThrow();
    var created = provider.create(Config.fromMap(Map.of()));
    assertThat(created.name()).isEqualTo("preview");
    for (TaskType type : TaskType.values()) assertThat(created.serves(type)).isTrue();
  }

  // --- helpers ---

  private AudioClip render(EngineJob job) throws Exception {
    return ((EngineOutput.Pcm) engine.render(job, new Ctx(Integer.MAX_VALUE))).clip();
  }

  private static EngineJob txt(String prompt, String lyrics, double seconds, long seed) {
    return job(TaskType.TXT2AUDIO, prompt, lyrics, null, null, seconds, 0, 0, seed, null);
  }

  private static EngineJob job(TaskType type, String prompt, String lyrics, String editPrompt, String editLyrics,
      double seconds, double left, double right, long seed, AudioClip source) {
    return new EngineJob("t", type, prompt, lyrics, null, editPrompt, editLyrics, seconds, left, right, seed, source,
        dev.refrain.audio.OutputFormat.MP3, null, EngineJob.Knobs.NONE);
  }

  private static float dbfs(double db) {
    return (float) Math.pow(10, db / 20);
  }

  private static void assertAudible(float[]... channels) {
    assertThat(Levels.rms(channels)).isGreaterThan(dbfs(-40));
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

  /** Counts rises in short-time energy of the signal's slope (which favours drum attacks), per second. */
  private static double onsetsPerSecond(AudioClip clip) {
    int hop = 441;
    float[] l = clip.channels()[0];
    int frames = l.length / hop;
    double[] energy = new double[frames];
    for (int f = 0; f < frames; f++) {
      for (int i = Math.max(1, f * hop); i < (f + 1) * hop; i++) {
        double d = l[i] - l[i - 1];
        energy[f] += d * d;
      }
      energy[f] = Math.log(energy[f] + 1e-9);
    }
    int onsets = 0;
    int last = -100;
    for (int f = 1; f < frames; f++) {
      if (energy[f] - energy[f - 1] > 1.0 && f - last > 5) {
        onsets++;
        last = f;
      }
    }
    return onsets / clip.seconds();
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
      assertThat(stage).isEqualTo("render");
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
