package dev.refrain.bench.preview;

import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.PcmStream;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.preview.PreviewEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The preview engine's speed and memory, in process, as the server runs it: render (compose,
 * synthesise, spill, measure), then read the mastered stream out. Run pinned to one core by
 * bench/preview/run. Prints figures; never fails on a missed goal.
 *
 *   speed  — a 240 s song per prompt: render + master as a multiple of real time; also with MP3 encoding
 *   memory — heap growth (live set, after full GCs sampled during the run) for 60, 240 and 600 s
 *   analysis — time to analyse a 240 s and a 600 s input, as audio-driven tasks do first
 *   edit   — edit and audio2audio of rendered inputs: beat alignment, per-bar chroma correlation, spectral distance
 *   wer    — how well sung words are understood: pocketsphinx's word error rate on 20 lines, against espeak-ng's
 *   spectrograms — PNGs of 30 s renders of a fixed set of prompts, in bench/preview/spectrograms/
 *   mp3    — a 240 s song to MP3 192k, render, master and encode timed apart (thread CPU and wall): the
 *            server's encoder (jump3r) against FFmpeg's libmp3lame at the same LAME settings and jump3r
 *            at -q 9 (no psychoacoustic model), each decoded again for its exact length, closeness to
 *            the PCM and pre-echo; the total against the 3 s goal
 */
public final class PreviewBench {
  private static final String LYRICS = """
      [intro]
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      Footsteps echo where the river bends
      Every story starts where another ends
      [pre-chorus]
      And I feel it rising now
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      Sing it loud, sing it clear
      Nothing left to fear
      [verse]
      Morning finds us where the night began
      Holding on to every little plan
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      [bridge]
      Slow down, slow down, let the moment stay
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      [outro]""";
  private static final List<String> PROMPTS = List.of(
      "pop rock with drums, bass, electric guitar, piano, strings and vocals",
      "drum and bass, dark synth pads",
      "slow ambient, pads and bells",
      "jazz trio with sax, swing");

  public static void main(String[] args) throws Exception {
    String what = args[0];
    Path scratch = Files.createTempDirectory(Path.of(args[1]), "scratch");
    PreviewEngine engine = new PreviewEngine(1, scratch);
    if (what.equals("speed") || what.equals("all")) speed(engine, scratch);
    if (what.equals("memory") || what.equals("all")) memory(engine, scratch);
    if (what.equals("analysis") || what.equals("all")) analysis(engine);
    if (what.equals("mp3") || what.equals("all")) mp3(engine, scratch);
    if (what.equals("edit") || what.equals("all")) EditFidelity.run(engine);
    if (what.equals("wer") || what.equals("all")) Intelligibility.run(engine, scratch);
    if (what.equals("form") || what.equals("all")) LongForm.run(engine);
    if (what.equals("spectrograms") || what.equals("all")) spectrograms(engine, Path.of(args[2]));
  }

  /** Prompts whose renders a person looks at: one per kind of band, the traditions included. */
  private static final List<String> PICTURED = List.of(
      "pop rock with drums, bass, electric guitar, piano, strings and vocals",
      "jazz trio with sax, swing",
      "slow ambient, pads and bells",
      "drum and bass, dark synth pads",
      "chinese traditional, erhu, guzheng, pentatonic",
      "bluegrass, banjo and fiddle",
      "celtic with tin whistle and harp",
      "indian classical, sitar",
      "tango with bandoneon",
      "baroque harpsichord and recorder",
      "gospel choir with organ",
      "calypso, steel drums");

  /** Writes a spectrogram PNG of a 30 s render of each pictured prompt (seed 1), named after the prompt. */
  private static void spectrograms(PreviewEngine engine, Path dir) throws Exception {
    Files.createDirectories(dir);
    System.out.printf("%nSpectrograms: 30 s renders, written to %s%n", dir);
    for (String prompt : PICTURED) {
      AudioClip clip = PcmStream.readAll(((EngineOutput.Stream) engine.render(job(prompt, 30, 1), new Quiet())).pcm());
      String name = prompt.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") + ".png";
      Spectrogram.write(clip, 40, dir.resolve(name));
      System.out.println("  " + name);
    }
  }

  /**
   * A 240 s song to MP3 192k, stage by stage: render (compose, synthesise, spill, measure and the
   * limiter's measuring pass), master (the mastered stream read out), encode with the server's encoder
   * (jump3r), with FFmpeg's libmp3lame at the same LAME settings, and with jump3r at LAME's fastest
   * setting (-q 9, no psychoacoustic model). Each stage's thread CPU time and wall time, the least of
   * three runs after a warm-up; each MP3 decoded again for its length (exact or not), its closeness to
   * the PCM, and its pre-echo: the SNR just before the song's attacks, where a coder without the
   * model's short blocks spreads a drum hit's noise into the quiet ahead of it.
   */
  private static void mp3(PreviewEngine engine, Path scratch) throws Exception {
    AudioEncoder.Mp3Settings lame = AudioEncoder.mp3Settings(192);
    AudioEncoder.Mp3Settings fastest = new AudioEncoder.Mp3Settings(9, lame.jointStereo());
    System.out.printf("%nMP3 192 kbit/s (LAME -q %d, %s stereo) of a 240 s song (44.1 kHz), one core, least of 3 runs after a warm-up%n",
        lame.quality(), lame.jointStereo() ? "joint" : "left/right");
    String prompt = PROMPTS.get(0);
    Path file = Files.createTempFile(scratch, "mp3-", ".mp3");
    for (int i = 0; i < 2; i++) { // warms up the renderer and the encoders
      AudioClip warm = PcmStream.readAll(((EngineOutput.Stream) engine.render(job(PROMPTS.get(i), 60, i), new Quiet())).pcm());
      AudioEncoder.encode(PcmStream.of(warm), OutputFormat.MP3, 192, file);
      FfmpegMp3.encode(warm, 192, lame, file);
      AudioEncoder.encodeMp3(PcmStream.of(warm), 192, fastest, file);
    }
    Stage render = new Stage("render"), master = new Stage("master");
    List<Encoder> encoders = List.of(
        new Encoder("jump3r (the server's)", "jump3r", (clip, to) -> AudioEncoder.encode(PcmStream.of(clip), OutputFormat.MP3, 192, to)),
        new Encoder("FFmpeg libmp3lame (JavaCV)", "ffmpeg", (clip, to) -> FfmpegMp3.encode(clip, 192, lame, to)),
        new Encoder("jump3r -q 9, no psy model", "jump3r_q9", (clip, to) -> AudioEncoder.encodeMp3(PcmStream.of(clip), 192, fastest, to)));
    AudioClip song = null;
    for (int run = 0; run < 3; run++) {
      render.start();
      EngineOutput out = engine.render(job(prompt, 240, 7), new Quiet());
      render.stop();
      master.start();
      song = PcmStream.readAll(((EngineOutput.Stream) out).pcm());
      master.stop();
      for (Encoder e : encoders) {
        e.stage.start();
        e.encode.to(song, file);
        e.stage.stop();
      }
    }
    System.out.printf("%-36s %10s %10s%n", "stage", "CPU", "wall");
    for (Stage stage : List.of(render, master)) System.out.printf(Locale.ROOT, "%-36s %8.2f s %8.2f s%n", stage.name, stage.cpu, stage.wall);
    for (Encoder e : encoders) System.out.printf(Locale.ROOT, "%-36s %8.2f s %8.2f s%n", "encode " + e.name, e.stage.cpu, e.stage.wall);
    System.out.printf("%-28s %12s %12s %16s %10s %15s %14s%n", "encoder", "total CPU", "total wall", "decoded length", "SNR",
        "before attacks", "spectra apart");
    for (Encoder e : encoders) {
      e.encode.to(song, file);
      AudioClip back = dev.refrain.audio.AudioDecoder.decode(Files.readAllBytes(file), 600);
      boolean exact = back.frames() == song.frames();
      double cpu = render.cpu + master.cpu + e.stage.cpu, wall = render.wall + master.wall + e.stage.wall;
      System.out.printf(Locale.ROOT, "%-28s %10.2f s %10.2f s %16s %7.1f dB %12.1f dB %11.2f dB%n", e.name, cpu, wall,
          exact ? "exact" : back.frames() + " of " + song.frames(), snr(song, back), PreEcho.snrBeforeAttacks(song, back),
          EditFidelity.spectrumDistance(song, back));
      System.out.printf(Locale.ROOT, "RESULT mp3_%s_encode_cpu_s=%.2f mp3_%s_total_cpu_s=%.2f mp3_%s_total_wall_s=%.2f mp3_%s_exact=%b%n",
          e.key, e.stage.cpu, e.key, cpu, e.key, wall, e.key, exact);
      if (e.key.equals("jump3r")) {
        System.out.printf(Locale.ROOT, "240 s song to MP3 with the server's encoder: %.2f s CPU, %.2f s wall (goal ≤ 3 s on one core: %s)%n",
            cpu, wall, cpu <= 3 ? "met" : "missed");
      }
    }
    System.out.println("(before attacks: median SNR over the 20 ms ahead of each attack in the song; the lower, the louder the pre-echo)");
    Files.deleteIfExists(file);
    System.out.printf("Load average after: %s (2 cores; above 1, other work shared the machine and wall times grew)%n",
        Files.readString(Path.of("/proc/loadavg")).trim());
  }

  /** One MP3 encoder the mp3 part times: a name for the table, a key for RESULT lines, and how it encodes a clip to a file. */
  private record Encoder(String name, String key, Encoding encode, Stage stage) {
    Encoder(String name, String key, Encoding encode) {
      this(name, key, encode, new Stage(name));
    }
  }

  private interface Encoding {
    void to(AudioClip clip, Path file) throws Exception;
  }

  /** Signal to error ratio of a decoded copy against the PCM it came from, sample by sample (a gapless MP3 is aligned), in dB. */
  private static double snr(AudioClip pcm, AudioClip decoded) {
    double signal = 0, error = 0;
    for (int c = 0; c < pcm.channelCount(); c++) {
      float[] x = pcm.channels()[c], y = decoded.channels()[c];
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        signal += (double) x[i] * x[i];
        error += (double) (x[i] - y[i]) * (x[i] - y[i]);
      }
    }
    return 10 * Math.log10(signal / error);
  }

  /** A stage's least thread CPU time and least wall time over runs, in seconds. */
  private static final class Stage {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    final String name;
    double cpu = Double.MAX_VALUE, wall = Double.MAX_VALUE;
    private long cpuAt, wallAt;

    Stage(String name) {
      this.name = name;
    }

    void start() {
      cpuAt = THREADS.getCurrentThreadCpuTime();
      wallAt = System.nanoTime();
    }

    void stop() {
      cpu = Math.min(cpu, (THREADS.getCurrentThreadCpuTime() - cpuAt) / 1e9);
      wall = Math.min(wall, (System.nanoTime() - wallAt) / 1e9);
    }
  }

  /** What audio-driven tasks pay before composing: the analysis of their input. */
  private static void analysis(PreviewEngine engine) throws Exception {
    System.out.printf("%nAnalysis of an input (tempo, meter, key, loudness, sections), 44.1 kHz stereo, one core%n");
    System.out.printf("%-10s %12s %s%n", "duration", "time", "result");
    for (int seconds : new int[] {240, 600}) {
      AudioClip song = PcmStream.readAll(((EngineOutput.Stream) engine.render(job(PROMPTS.get(0), seconds, 3), new Quiet())).pcm());
      Analysis.of(song); // warm-up
      long t0 = System.nanoTime();
      Analysis a = Analysis.of(song);
      double took = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%8d s %10.2f s %.2f bpm, %d/4, key %d %s, %.1f LUFS, %d sections%n", seconds, took, a.bpm(),
          a.beatsPerBar(), a.tonic(), a.minor() ? "minor" : "major", a.loudnessLufs(), a.sectionStarts().size());
    }
  }

  private static void speed(PreviewEngine engine, Path scratch) throws Exception {
    System.out.printf("%nSpeed: 240 s songs at 44.1 kHz stereo, one core (%d CPU visible to the JVM), least of 2 runs%n",
        Runtime.getRuntime().availableProcessors());
    System.out.println("warming up (4 × 60 s renders, two encoded to MP3)...");
    for (int i = 0; i < 4; i++) {
      EngineOutput out = engine.render(job(PROMPTS.get(i % PROMPTS.size()), 60, i), new Quiet());
      if (i % 2 == 0) {
        drain(out);
      } else {
        Path mp3 = Files.createTempFile(scratch, "warm-", ".mp3");
        AudioEncoder.encode(((EngineOutput.Stream) out).pcm(), OutputFormat.MP3, 192, mp3);
        Files.delete(mp3);
      }
    }

    System.out.printf("%-70s %12s %10s %16s %10s%n", "prompt", "render+master", "× RT", "+ MP3 192k", "× RT");
    List<Double> factors = new ArrayList<>();
    for (int p = 0; p < PROMPTS.size(); p++) {
      String prompt = PROMPTS.get(p);
      // The least of two runs: on a shared VM a single run came out up to a fifth slower now and then.
      double render = Double.MAX_VALUE, withMp3 = Double.MAX_VALUE;
      for (int run = 0; run < 2; run++) {
        long t0 = System.nanoTime();
        drain(engine.render(job(prompt, 240, 100 + p), new Quiet()));
        render = Math.min(render, (System.nanoTime() - t0) / 1e9);
        Path mp3 = Files.createTempFile(scratch, "bench-", ".mp3");
        t0 = System.nanoTime();
        EngineOutput out = engine.render(job(prompt, 240, 100 + p), new Quiet());
        AudioEncoder.encode(((EngineOutput.Stream) out).pcm(), OutputFormat.MP3, 192, mp3);
        withMp3 = Math.min(withMp3, (System.nanoTime() - t0) / 1e9);
        Files.delete(mp3);
      }
      factors.add(240 / render);
      System.out.printf(Locale.ROOT, "%-70s %11.2f s %9.1f× %15.2f s %9.1f×%n", prompt, render, 240 / render, withMp3, 240 / withMp3);
    }
    double worst = factors.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double mean = factors.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    System.out.printf(Locale.ROOT, "RESULT speed_worst_x=%.1f speed_mean_x=%.1f%n", worst, mean);
    System.out.printf(Locale.ROOT, "render + master: worst %.1f× real time, mean %.1f× (goal ≥ 20×: %s)%n",
        worst, mean, worst >= 20 ? "met" : "missed");
  }

  private static void memory(PreviewEngine engine, Path scratch) throws Exception {
    System.out.printf("%nMemory: heap growth while rendering and encoding to an MP3 file (live set from full GCs every 200 ms)%n");
    System.out.printf("%-10s %16s %18s %18s%n", "duration", "heap growth", "PCM in memory", "time");
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    drain(engine.render(job(PROMPTS.get(0), 30, 1), new Quiet()));
    double worst = 0;
    for (int seconds : new int[] {60, 240, 600}) {
      System.gc();
      long baseline = mem.getHeapMemoryUsage().getUsed();
      AtomicLong peak = new AtomicLong(baseline);
      AtomicBoolean running = new AtomicBoolean(true);
      Thread sampler = Thread.ofPlatform().daemon().start(() -> {
        while (running.get()) {
          System.gc();
          peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      Path mp3 = Files.createTempFile(scratch, "bench-", ".mp3");
      long t0 = System.nanoTime();
      EngineOutput out = engine.render(job(PROMPTS.get(0), seconds, 7), new Quiet());
      AudioEncoder.encode(((EngineOutput.Stream) out).pcm(), OutputFormat.MP3, 192, mp3);
      double took = (System.nanoTime() - t0) / 1e9;
      running.set(false);
      sampler.join();
      Files.delete(mp3);
      double growth = (peak.get() - baseline) / 1048576.0;
      worst = Math.max(worst, growth);
      System.out.printf(Locale.ROOT, "%8d s %13.1f MB %15.1f MB %16.1f s%n", seconds, growth,
          seconds * 44_100.0 * 2 * 4 / 1048576, took);
    }
    System.out.printf(Locale.ROOT, "RESULT heap_growth_mb=%.1f%n", worst);
    System.out.printf(Locale.ROOT, "worst heap growth %.1f MB (goal < 64 MB for any duration up to 600 s: %s)%n",
        worst, worst < 64 ? "met" : "missed");
  }

  private static void drain(EngineOutput out) {
    try (PcmStream pcm = ((EngineOutput.Stream) out).pcm()) {
      float[][] block = new float[pcm.channelCount()][8192];
      while (pcm.read(block, 0, 8192) > 0) {
        // reading is the mastering work; the samples themselves are not needed
      }
    }
  }

  private static EngineJob job(String prompt, double seconds, long seed) {
    TaskInput input = new TaskInput.Txt2Audio(prompt, LYRICS, seconds, "", null, null, seed, null, null, null);
    return new EngineJob("bench", input, seed, null, null);
  }

  /** The clip's channels averaged into one. */
  static float[] mono(AudioClip clip) {
    float[] mono = new float[clip.frames()];
    for (float[] c : clip.channels()) {
      for (int i = 0; i < mono.length; i++) mono[i] += c[i] / clip.channelCount();
    }
    return mono;
  }

  static final class Quiet implements EngineContext {
    @Override
    public void progress(double fraction, String stage) {}

    @Override
    public void log(String line) {}

    @Override
    public boolean cancelled() {
      return false;
    }
  }
}
