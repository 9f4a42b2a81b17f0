package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.PcmStream;
import dev.refrain.audio.Resampler;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.preview.PreviewEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * How well the words of a sung line can be understood: Debian's pocketsphinx (en-us) transcribes
 * each of 20 fixed English lines twice, as the preview engine sings them a cappella and as
 * espeak-ng speaks them, and the word error rates are compared (goal: the singing's at most 1.5×
 * the speech's), with pocketsphinx's general English language model. The singing is the dry
 * vocal stem: "a cappella, dry" is the voice alone, without reverb. Also printed: the share of the
 * sung energy above 5 kHz, where a voice of vowels alone has next to none; and, as a control, the
 * WER of the same espeak-ng speech slowed (pitch kept, by sox's WSOLA {@code tempo -s}) to the length
 * of the sung line, which tells how much of the sung figure is the recogniser's trouble with words
 * drawn out to a melody's pace rather than the voice's.
 */
final class Intelligibility {
  static final List<String> LINES = List.of(
      "walking down the empty street tonight",
      "every window holds a little light",
      "sing it loud and sing it clear",
      "morning comes and finds me on my own",
      "the river runs beneath the bridge",
      "hold my hand and follow me home",
      "we danced until the city slept",
      "nothing ever stays the same",
      "the summer rain is falling down",
      "i will wait for you forever",
      "bright stars are shining over the sea",
      "open the door and let the music play",
      "my heart is beating like a drum",
      "she wrote a letter to the moon",
      "turn the radio up and drive",
      "we are young and we are free",
      "the clock is ticking on the wall",
      "give me one more chance to say goodbye",
      "green fields are waiting in the valley",
      "call my name when the night is cold");
  private static final int ASR_RATE = 16_000;
  private static final double HISS_HZ = 5000;
  /**
   * espeak-ng's Klatt voice: of its voices, the one pocketsphinx hears best (its default voice was
   * misheard in most words), so the reference is the hardest one to come near.
   */
  private static final String REFERENCE_VOICE = "en-us+klatt";

  private Intelligibility() {}

  static void run(PreviewEngine engine, Path scratch) throws Exception {
    String prompt = "a cappella, dry, " + tempo() + " bpm";
    System.out.printf("%nIntelligibility: pocketsphinx (en-us) word error rate on %d English lines, sung \"%s\"%n", LINES.size(), prompt);
    if (!available("pocketsphinx_batch") || !available("espeak-ng")) {
      System.out.println("skipped: needs pocketsphinx_batch, pocketsphinx-en-us and espeak-ng (bench/preview/run installs them)");
      return;
    }
    boolean control = available("sox");
    System.out.printf("%-38s %-30s %-30s %-30s%n", "line", "sung (preview, a cappella, dry)", "spoken (espeak-ng)",
        control ? "spoken, slowed to the sung length" : "(no sox: no slowed control)");
    int words = 0, sungErrors = 0, spokenErrors = 0, slowedErrors = 0;
    double sungSeconds = 0, spokenSeconds = 0;
    double high = 0, all = 0;
    for (int i = 0; i < LINES.size(); i++) {
      String line = LINES.get(i);
      Path spokenWav = scratch.resolve("spoken-" + i + ".wav");
      exec(List.of("espeak-ng", "-v", REFERENCE_VOICE, "-w", spokenWav.toString(), line));
      AudioClip spoken = AudioDecoder.decode(Files.readAllBytes(spokenWav), 60);
      TaskInput input = new TaskInput.Txt2Audio(prompt, "[verse]\n" + line, 8, "", null, null, 1L + i, null, null, null);
      AudioClip sung = PcmStream.readAll(((EngineOutput.Stream) engine.render(new EngineJob("wer", input, 1L + i, null, null),
          new PreviewBench.Quiet())).pcm());
      double[] bands = energyAbove(PreviewBench.mono(sung), sung.sampleRate(), HISS_HZ);
      high += bands[0];
      all += bands[1];
      Path sungWav = write(sung, scratch.resolve("sung-" + i + ".wav"));
      Path spokenWav16 = write(spoken, scratch.resolve("spoken16-" + i + ".wav"));
      List<String> truth = words(line);
      words += truth.size();
      String heardSung = transcribe(sungWav);
      String heardSpoken = transcribe(spokenWav16);
      sungErrors += distance(truth, words(heardSung));
      spokenErrors += distance(truth, words(heardSpoken));
      double sungSpan = voicedSeconds(sung), spokenSpan = voicedSeconds(spoken);
      sungSeconds += sungSpan;
      spokenSeconds += spokenSpan;
      String heardSlowed = "";
      if (control) {
        Path slowed = scratch.resolve("slowed-" + i + ".wav");
        exec(List.of("sox", spokenWav16.toString(), slowed.toString(), "tempo", "-s", String.format(Locale.ROOT, "%.4f", spokenSpan / sungSpan)));
        heardSlowed = transcribe(slowed);
        slowedErrors += distance(truth, words(heardSlowed));
      }
      System.out.printf("%-38s %-30s %-30s %-30s%n", cut(line, 38), cut(heardSung, 30), cut(heardSpoken, 30), cut(heardSlowed, 30));
    }
    double sungWer = sungErrors / (double) words, spokenWer = spokenErrors / (double) words;
    System.out.printf(Locale.ROOT, "WER (general model): sung %5.1f%%, spoken (reference) %5.1f%%, ratio %.2f (goal ≤ 1.5: %s)%n",
        100 * sungWer, 100 * spokenWer, sungWer / Math.max(spokenWer, 1e-9), sungWer <= 1.5 * spokenWer ? "met" : "missed");
    if (control) {
      System.out.printf(Locale.ROOT, "Control: the same speech slowed %.1f× to the sung lines' length (%.1f s of voice a line against %.1f s): "
          + "WER %5.1f%%, ratio %.2f to the speech%n", sungSeconds / spokenSeconds, sungSeconds / LINES.size(), spokenSeconds / LINES.size(),
          100.0 * slowedErrors / words, slowedErrors / Math.max(spokenErrors, 1e-9));
    }
    if (control) PhoneMatch.print(LINES, scratch, "sung-", "slowed-");
    if (control && PhoneMatch.available()) HeldVowels.print(LINES, scratch, "spoken16-", spokenErrors, words);
    System.out.printf(Locale.ROOT, "Sung energy above %.0f kHz (consonants' hiss): %.2f%% of the dry vocal's%n", HISS_HZ / 1000, 100 * high / all);
    System.out.printf(Locale.ROOT, "RESULT wer_sung=%.3f wer_spoken=%.3f wer_spoken_slowed=%s high_share=%.5f%n", sungWer, spokenWer,
        control ? String.format(Locale.ROOT, "%.3f", slowedErrors / (double) words) : "n/a", high / all);
  }

  /**
   * The sung lines' tempo, BENCH_WER_BPM (90 unless set): a faster one sings the words nearer the pace
   * of speech, which tells the voice's share of the errors from the pace's (the slowed control).
   */
  private static int tempo() {
    String bpm = System.getenv("BENCH_WER_BPM");
    if (bpm == null || bpm.isBlank()) return 90;
    try {
      int value = Integer.parseInt(bpm.trim());
      if (value >= 40 && value <= 240) return value;
    } catch (NumberFormatException notANumber) {
      // the same answer as out of range, below
    }
    throw new IllegalArgumentException("BENCH_WER_BPM must be a whole number of beats a minute, 40..240: " + bpm);
  }

  /** Seconds from the first to the last 20 ms frame within 40 dB of the loudest: how long the voice takes over the line. */
  private static double voicedSeconds(AudioClip clip) {
    float[] x = PreviewBench.mono(clip);
    int n = clip.sampleRate() / 50, frames = x.length / n;
    double[] power = new double[frames];
    double loudest = 0;
    for (int f = 0; f < frames; f++) {
      for (int i = f * n; i < (f + 1) * n; i++) power[f] += x[i] * x[i];
      loudest = Math.max(loudest, power[f]);
    }
    int first = -1, last = -1;
    for (int f = 0; f < frames; f++) {
      if (power[f] >= loudest * 1e-4) {
        if (first < 0) first = f;
        last = f;
      }
    }
    return first < 0 ? 0 : (last - first + 1) * n / (double) clip.sampleRate();
  }

  /** Energy above {@code hz} and in all, over one-second frames of the signal. */
  private static double[] energyAbove(float[] x, int rate, double hz) {
    int n = rate;
    FloatFFT_1D fft = new FloatFFT_1D(n);
    double high = 0, all = 0;
    for (int at = 0; at + n <= x.length; at += n) {
      float[] frame = Arrays.copyOfRange(x, at, at + n);
      fft.realForward(frame);
      for (int k = 1; k < n / 2; k++) {
        double e = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
        all += e;
        if (k >= hz * n / rate) high += e;
      }
    }
    return new double[] {high, all};
  }

  /** The clip mixed to mono at pocketsphinx's 16 kHz, as a WAV file. */
  private static Path write(AudioClip clip, Path wav) throws IOException {
    float[] mono = PreviewBench.mono(clip);
    AudioClip at16k = Resampler.resample(new AudioClip(clip.sampleRate(), new float[][] {mono}), ASR_RATE);
    Files.write(wav, AudioEncoder.encode(at16k, OutputFormat.WAV, 192));
    return wav;
  }

  /**
   * What pocketsphinx hears in the file, with its general English language model. pocketsphinx_batch
   * decodes the whole file: pocketsphinx_continuous first cuts it where its voice detector hears
   * speech, and drops sung stretches it takes for silence.
   */
  static String transcribe(Path wav) throws Exception {
    String name = wav.getFileName().toString().replaceFirst("\\.wav$", "");
    Path ctl = wav.resolveSibling(name + ".ctl");
    Path hyp = wav.resolveSibling(name + ".hyp");
    Files.writeString(ctl, name + "\n");
    exec(List.of("pocketsphinx_batch", "-adcin", "yes", "-adchdr", "44", "-cepdir", wav.getParent().toString(), "-cepext", ".wav",
        "-ctl", ctl.toString(), "-hyp", hyp.toString(), "-logfn", "/dev/null"));
    // Each line is the words heard, then the utterance's name and score in brackets.
    return Files.exists(hyp) ? Files.readString(hyp).replaceAll("\\([^)]*\\)", " ").trim() : "";
  }

  static List<String> words(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** Word-level edit distance: substitutions, insertions and deletions. */
  static int distance(List<String> truth, List<String> heard) {
    int[] prev = new int[heard.size() + 1], cur = new int[heard.size() + 1];
    for (int j = 0; j <= heard.size(); j++) prev[j] = j;
    for (int i = 1; i <= truth.size(); i++) {
      cur[0] = i;
      for (int j = 1; j <= heard.size(); j++) {
        int same = truth.get(i - 1).equals(heard.get(j - 1)) ? 0 : 1;
        cur[j] = Math.min(prev[j - 1] + same, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[heard.size()];
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  private static boolean available(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }

  static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return new String(out, StandardCharsets.UTF_8);
  }
}
