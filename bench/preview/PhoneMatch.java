package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Which sounds of the sung lines the recogniser's acoustic models fail to hear, phone by phone: each
 * line is force-aligned to its own phones (pocketsphinx_batch with a chain grammar per line, every
 * phone a word of one phone, pronunciations from the dictionary that comes with the model), for the
 * singing and for the reference speech slowed to the same length. A phone's acoustic score per frame
 * is how far the right phone falls behind the best-matching model state in each frame (0 would be a
 * perfect match); the frames it gets are how long the aligner lets it last. A sound the voice makes
 * badly scores low and is squeezed to a few frames, the rest of its time given to its neighbours.
 * For the phones the singing matches worst, each one's mean spectrum over its frames is printed beside
 * the reference's, in mel bands and in dB from each voice's mean over all its phones: what to change.
 */
final class PhoneMatch {
  private static final Path DICTIONARY = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
  /** The recogniser's frames at 16 kHz: 25.6 ms every 10 ms. */
  static final int HOP = 160;
  private static final int WINDOW = 410, FFT = 512, RATE = 16_000;
  /** Mel bands over the recogniser's range. */
  private static final int BANDS = 16;
  private static final double LOW_HZ = 133, HIGH_HZ = 6855;
  /** How many of the worst-matched phones get their spectra printed. */
  private static final int SPECTRA = 8;

  private PhoneMatch() {}

  /** Per phone: how many, summed acoustic score, summed frames, and the summed band levels (dB) of those frames. */
  private record Tally(int count, long score, long frames, double[] levels) {
    Tally plus(Tally o) {
      double[] sum = levels.clone();
      for (int b = 0; b < BANDS; b++) sum[b] += o.levels[b];
      return new Tally(count + o.count, score + o.score, frames + o.frames, sum);
    }

    double perFrame() {
      return score / (double) Math.max(1, frames);
    }

    double meanFrames() {
      return frames / (double) Math.max(1, count);
    }

    /** Mean level per band, less {@code reference}'s mean over all bands. */
    double[] shape(double reference) {
      double[] out = new double[BANDS];
      for (int b = 0; b < BANDS; b++) out[b] = levels[b] / Math.max(1, frames) - reference;
      return out;
    }
  }

  /** Each line's chain grammar of its phones, the phone dictionary, and every phone the lines have. */
  record Grammars(List<Path> files, Path dictionary, TreeSet<String> phones) {}

  /** One phone's stretch of a line: recogniser frames [from, to), and its acoustic score there. */
  record Segment(String phone, int from, int to, long score) {
    boolean vowel() {
      return "AEIOU".indexOf(phone.charAt(0)) >= 0;
    }
  }

  /** Whether a dictionary is there to align with. */
  static boolean available() {
    return Files.isRegularFile(DICTIONARY);
  }

  /** Writes each line's grammar and the phone dictionary into {@code scratch}. */
  static Grammars grammars(List<String> lines, Path scratch) throws IOException {
    Map<String, List<String>> pronunciations = new HashMap<>();
    for (String entry : Files.readAllLines(DICTIONARY)) {
      String[] t = entry.trim().split("\\s+");
      if (t.length > 1) pronunciations.putIfAbsent(t[0], List.of(t).subList(1, t.length));
    }
    TreeSet<String> phones = new TreeSet<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      List<String> sequence = new ArrayList<>();
      for (String word : lines.get(i).split(" ")) sequence.addAll(pronunciations.get(word));
      phones.addAll(sequence);
      StringBuilder fsg = new StringBuilder("FSG_BEGIN line" + i + "\nNUM_STATES " + (sequence.size() + 1) + "\nSTART_STATE 0\nFINAL_STATE "
          + sequence.size() + "\n");
      for (int k = 0; k < sequence.size(); k++) fsg.append("TRANSITION ").append(k).append(' ').append(k + 1).append(" 1.0 ").append(word(sequence.get(k))).append('\n');
      files.add(Files.writeString(scratch.resolve("phones-" + i + ".fsg"), fsg.append("FSG_END\n")));
    }
    StringBuilder dict = new StringBuilder();
    for (String p : phones) dict.append(word(p)).append(' ').append(p).append('\n');
    return new Grammars(files, Files.writeString(scratch.resolve("phones.dict"), dict), phones);
  }

  /** Prints the table for the lines' 16 kHz WAVs named {@code sungPrefix + i} and {@code slowedPrefix + i} in {@code scratch}. */
  static void print(List<String> lines, Path scratch, String sungPrefix, String slowedPrefix) throws Exception {
    if (!available()) {
      System.out.println("Phone match skipped: no " + DICTIONARY);
      return;
    }
    Grammars grammars = grammars(lines, scratch);
    Map<String, Tally> sung = tally(scratch, sungPrefix, segments(scratch, sungPrefix, grammars));
    Map<String, Tally> slowed = tally(scratch, slowedPrefix, segments(scratch, slowedPrefix, grammars));
    System.out.println("Phone match (forced alignment to each line's own phones; acoustic score per frame, 0 = the best model state every frame; frames the aligner gives the phone):");
    System.out.printf("%-6s %6s %22s %22s %10s%n", "phone", "count", "sung: score (frames)", "slowed: score (frames)", "sung lower");
    List<String> order = new ArrayList<>(grammars.phones());
    order.removeIf(p -> !sung.containsKey(p) || !slowed.containsKey(p));
    order.sort((a, b) -> Double.compare(sung.get(a).perFrame() - slowed.get(a).perFrame(), sung.get(b).perFrame() - slowed.get(b).perFrame()));
    for (String p : order) {
      Tally s = sung.get(p), r = slowed.get(p);
      System.out.printf(Locale.ROOT, "%-6s %6d %14.1f (%5.1f) %14.1f (%5.1f) %10.1f%n", p, s.count(), s.perFrame(), s.meanFrames(), r.perFrame(),
          r.meanFrames(), r.perFrame() - s.perFrame());
    }
    System.out.printf(Locale.ROOT, "RESULT phone_score_sung_vowels=%.1f phone_score_sung_consonants=%.1f phone_score_slowed_vowels=%.1f phone_score_slowed_consonants=%.1f%n",
        pooled(sung, true), pooled(sung, false), pooled(slowed, true), pooled(slowed, false));

    System.out.printf("Spectra of the %d worst-matched phones over their frames: mel bands, dB from the voice's mean over all its phones%n", SPECTRA);
    double[] edges = edges();
    StringBuilder head = new StringBuilder(String.format("%-12s", "band from Hz"));
    for (int b = 0; b < BANDS; b++) head.append(String.format(Locale.ROOT, "%6d", Math.round(edges[b])));
    System.out.println(head);
    double sungMean = mean(sung), slowedMean = mean(slowed);
    for (String p : order.subList(0, Math.min(SPECTRA, order.size()))) {
      System.out.println(row(p + " sung", sung.get(p).shape(sungMean)));
      System.out.println(row(p + " slowed", slowed.get(p).shape(slowedMean)));
    }
  }

  private static String row(String name, double[] levels) {
    StringBuilder out = new StringBuilder(String.format("%-12s", name));
    for (double v : levels) out.append(String.format(Locale.ROOT, "%6.0f", v));
    return out.toString();
  }

  private static String word(String phone) {
    return "ph_" + phone.toLowerCase(Locale.ROOT);
  }

  /** Score per frame over the vowels (ARPAbet vowels start with A, E, I, O or U) or over the consonants. */
  private static double pooled(Map<String, Tally> tallies, boolean vowels) {
    long score = 0, frames = 0;
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      if ("AEIOU".indexOf(e.getKey().charAt(0)) >= 0 == vowels) {
        score += e.getValue().score();
        frames += e.getValue().frames();
      }
    }
    return score / (double) Math.max(1, frames);
  }

  /** The mean band level over every phone frame of a voice. */
  private static double mean(Map<String, Tally> tallies) {
    double sum = 0;
    long frames = 0;
    for (Tally t : tallies.values()) {
      for (double v : t.levels()) sum += v;
      frames += t.frames();
    }
    return sum / Math.max(1, frames * BANDS);
  }

  /**
   * Aligns every line's WAV {@code prefix + i} to its grammar: per line, its phones' segments in order
   * (empty where the line could not be aligned).
   */
  static List<List<Segment>> segments(Path scratch, String prefix, Grammars grammars) throws Exception {
    StringBuilder ctl = new StringBuilder(), fsgctl = new StringBuilder();
    for (int i = 0; i < grammars.files().size(); i++) {
      ctl.append(prefix).append(i).append('\n');
      fsgctl.append(grammars.files().get(i)).append('\n');
    }
    Path ctlFile = Files.writeString(scratch.resolve(prefix + "phones.ctl"), ctl);
    Path fsgFile = Files.writeString(scratch.resolve(prefix + "phones.fsgctl"), fsgctl);
    Path seg = scratch.resolve(prefix + "phones.seg");
    // Beams wide open: an alignment must not fail for a voice the models hear badly, that is what is measured.
    run(List.of("pocketsphinx_batch", "-adcin", "yes", "-adchdr", "44", "-cepdir", scratch.toString(), "-cepext", ".wav", "-ctl", ctlFile.toString(),
        "-fsgctl", fsgFile.toString(), "-dict", grammars.dictionary().toString(), "-hypseg", seg.toString(), "-hyp",
        scratch.resolve(prefix + "phones.hyp").toString(), "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam", "1e-80", "-logfn", "/dev/null"));
    List<List<Segment>> out = new ArrayList<>();
    for (int i = 0; i < grammars.files().size(); i++) out.add(new ArrayList<>());
    if (!Files.exists(seg)) return out;
    for (String line : Files.readAllLines(seg)) {
      // uttid S score T total A acoustic L language, then per segment: start frame, acoustic, language, word; then the end frame.
      String[] t = line.trim().split("\\s+");
      if (t.length < 14 || !t[0].startsWith(prefix)) continue; // no alignment for this line
      List<Segment> segments = out.get(Integer.parseInt(t[0].substring(prefix.length())));
      for (int k = 9; k + 4 < t.length; k += 4) {
        String w = t[k + 3];
        if (!w.startsWith("ph_")) continue;
        String phone = w.substring(3).replaceFirst("\\(\\d+\\)$", "").toUpperCase(Locale.ROOT);
        int from = Integer.parseInt(t[k]);
        segments.add(new Segment(phone, from, Math.max(from + 1, Integer.parseInt(t[k + 4])), Long.parseLong(t[k + 1])));
      }
    }
    return out;
  }

  /** Per phone, the acoustic scores, frames and band levels of its segments. */
  private static Map<String, Tally> tally(Path scratch, String prefix, List<List<Segment>> lines) throws Exception {
    Map<String, Tally> tallies = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) continue;
      double[][] levels = levels(scratch.resolve(prefix + i + ".wav"));
      for (Segment s : lines.get(i)) {
        double[] sum = new double[BANDS];
        for (int f = s.from(); f < s.to(); f++) {
          for (int b = 0; b < BANDS; b++) sum[b] += levels[Math.min(f, levels.length - 1)][b];
        }
        tallies.merge(s.phone(), new Tally(1, s.score(), s.to() - s.from(), sum), Tally::plus);
      }
    }
    return tallies;
  }

  /** Band levels in dB of each of the recogniser's frames of a 16 kHz WAV. */
  private static double[][] levels(Path wav) throws Exception {
    AudioClip clip = AudioDecoder.decode(Files.readAllBytes(wav), 60);
    if (clip.sampleRate() != RATE) throw new IllegalStateException(wav + " is not at " + RATE + " Hz");
    float[] x = PreviewBench.mono(clip);
    double[] edges = edges();
    FloatFFT_1D fft = new FloatFFT_1D(FFT);
    int frames = Math.max(1, x.length / HOP);
    double[][] out = new double[frames][BANDS];
    float[] buf = new float[FFT];
    for (int f = 0; f < frames; f++) {
      java.util.Arrays.fill(buf, 0f);
      for (int i = 0; i < WINDOW && f * HOP + i < x.length; i++) {
        buf[i] = (float) (x[f * HOP + i] * (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (WINDOW - 1))));
      }
      fft.realForward(buf);
      double[] power = new double[BANDS];
      for (int k = 1; k < FFT / 2; k++) {
        double hz = k * (double) RATE / FFT;
        for (int b = 0; b < BANDS; b++) {
          if (hz >= edges[b] && hz < edges[b + 1]) power[b] += buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
        }
      }
      for (int b = 0; b < BANDS; b++) out[f][b] = 10 * Math.log10(power[b] + 1e-10);
    }
    return out;
  }

  /** BANDS + 1 edges evenly spaced in mel from LOW_HZ to HIGH_HZ. */
  private static double[] edges() {
    double lo = mel(LOW_HZ), hi = mel(HIGH_HZ);
    double[] out = new double[BANDS + 1];
    for (int b = 0; b <= BANDS; b++) out[b] = 700 * (Math.pow(10, (lo + (hi - lo) * b / BANDS) / 2595) - 1);
    return out;
  }

  private static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
  }
}
