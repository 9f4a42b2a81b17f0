package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.refrain.testing.RunsOnce;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class SingerTest {
  private static final int RATE = 44100;
  private static final double HZ = 120;
  /** The note's gate in the acoustic tests: long enough for onset, a held vowel and coda. */
  private static final double GATE = 0.6;

  /** A syllable written in ARPAbet, e.g. {@code "S T R IY T"}: the sounds before its one vowel are the onset. */
  private static Syllable syllable(String arpabet) {
    List<Phoneme> onset = new ArrayList<>(), coda = new ArrayList<>();
    Phoneme vowel = null;
    for (String symbol : arpabet.split(" ")) {
      Phoneme p = Phoneme.valueOf(symbol);
      if (p.vowel()) vowel = p;
      else (vowel == null ? onset : coda).add(p);
    }
    return new Syllable(onset, vowel, coda, true);
  }

  /** The whole note, release and all, sung at 120 Hz. */
  private static float[] sing(String arpabet) {
    return sing(syllable(arpabet), HZ, RATE, (int) (GATE * RATE), 1, 512);
  }

  /** Renders in blocks of {@code block} until the sound dies (at most 30 s), zero beyond. */
  private static float[] sing(Syllable s, double hz, int rate, int gate, long seed, int block) {
    Singer singer = new Singer(hz, rate, s, gate, 1, seed);
    float[] out = new float[gate + 2 * rate];
    for (int at = 0; at < out.length; at += block) {
      if (!singer.render(out, null, at, Math.min(block, out.length - at))) break;
    }
    return out;
  }

  private static int ms(double millis) {
    return (int) Math.round(millis * RATE / 1000);
  }

  private static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) sum += (double) x[i] * x[i];
    return Math.sqrt(sum / (to - from));
  }

  private static double db(double powerRatio) {
    return 10 * Math.log10(powerRatio);
  }

  /** The power spectrum of a Hann-windowed stretch of samples, zero-padded for a fine enough grid. */
  private record Spectrum(double[] power, double binHz) {
    static Spectrum of(float[] x, int from, int to) {
      int length = to - from;
      int n = Math.max(8192, Integer.highestOneBit(length - 1) << 1);
      double[] b = new double[n];
      for (int i = 0; i < length; i++) b[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / length));
      new DoubleFFT_1D(n).realForward(b);
      double[] power = new double[n / 2];
      power[0] = b[0] * b[0];
      for (int k = 1; k < n / 2; k++) power[k] = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
      return new Spectrum(power, RATE / (double) n);
    }

    /** Energy from {@code lo} up to {@code hi} Hz. */
    double band(double lo, double hi) {
      double sum = 0;
      for (int k = (int) Math.ceil(lo / binHz); k < power.length && k * binHz < hi; k++) sum += power[k];
      return sum;
    }

    double total() {
      return band(0, RATE);
    }

    /** The share of the energy above {@code hz}. */
    double above(double hz) {
      return band(hz, RATE) / total();
    }

    double centroid() {
      return centroid(0, RATE);
    }

    /** The centre of the energy from {@code lo} up to {@code hi} Hz. */
    double centroid(double lo, double hi) {
      double weighted = 0;
      for (int k = (int) Math.ceil(lo / binHz); k < power.length && k * binHz < hi; k++) weighted += power[k] * k * binHz;
      return weighted / band(lo, hi);
    }
  }

  /** A 5 ms frame: its level, and whether it is hiss rather than voice (most of its energy above 3 kHz). */
  private record Frame(int startMs, double rms, double high) {}

  private static List<Frame> frames(float[] x, int fromMs, int toMs) {
    List<Frame> out = new ArrayList<>();
    for (int m = fromMs; m < toMs; m += 5) {
      double level = rms(x, ms(m), ms(m + 5));
      out.add(new Frame(m, level, level == 0 ? 0 : Spectrum.of(x, ms(m), ms(m + 5)).above(3000)));
    }
    return out;
  }

  @Test
  void anSOnsetHissesAboveThreeKilohertzAndTheVowelSingsBelow() {
    float[] x = sing("S AA");
    assertThat(Spectrum.of(x, 0, ms(60)).above(3000)).as("the first 60 ms: the s").isGreaterThan(0.7);
    assertThat(Spectrum.of(x, ms(250), ms(450)).above(3000)).as("the held vowel").isLessThan(0.1);
  }

  @Test
  void shHissesLowerThanS() {
    double s = Spectrum.of(sing("S AA"), ms(10), ms(90)).centroid();
    double sh = Spectrum.of(sing("SH AA"), ms(10), ms(90)).centroid();
    assertThat(s).isGreaterThan(4000);
    assertThat(sh).isLessThan(0.75 * s).isGreaterThan(1500);
  }

  @Test
  void iyHasItsHighSecondFormantWhereUwHasNone() {
    // IY's F2 band: 2.0-2.6 kHz at the formant the phoneme table gives it, 2.3 kHz.
    double lo = 0.87 * Phoneme.IY.f2, hi = 1.13 * Phoneme.IY.f2;
    Spectrum iy = Spectrum.of(sing("IY"), ms(150), ms(450));
    Spectrum uw = Spectrum.of(sing("UW"), ms(150), ms(450));
    double iyF2 = db(iy.band(lo, hi) / iy.total());
    double uwF2 = db(uw.band(lo, hi) / uw.total());
    assertThat(iyF2 - uwF2).as("share of the F2 band, IY over UW, dB").isGreaterThan(10);
    // IY's F2 stands above the trough under it; UW's energy is down there instead.
    assertThat(db(iy.band(lo, hi) / iy.band(1000, 1600))).isGreaterThan(6);
    assertThat(db(uw.band(1000, 1600) / uw.band(lo, hi))).isGreaterThan(6);
  }

  @Test
  void aVoicelessStopIsSilentThenBurstsIntoTheVowel() {
    float[] x = sing("T AA");
    double vowel = rms(x, ms(200), ms(450));
    assertThat(rms(x, 0, ms(35))).as("the closure").isLessThan(1e-3 * vowel);
    Frame first = frames(x, 0, 200).stream().filter(f -> f.rms() > 0.1 * vowel).findFirst().orElseThrow();
    assertThat(first.startMs()).as("the release, ms").isBetween(35, 90);
    assertThat(burst(first, vowel)).as("the release is a burst of hiss, not voice: %s", first).isTrue();
    assertThat(Spectrum.of(x, ms(200), ms(450)).above(3000)).isLessThan(0.1);
  }

  @Test
  void aCodaConsonantClosesTheNoteAtItsEnd() {
    float[] closed = sing("AA T");
    float[] open = sing("AA");
    double vowel = rms(open, ms(100), ms(400));
    int gate = (int) (GATE * 1000);
    assertThat(rms(closed, ms(100), ms(400))).as("the vowel before the coda").isCloseTo(vowel, withinPercentage(10));

    List<Frame> end = frames(closed, gate - 100, gate);
    int quietest = 0;
    for (int i = 1; i + 1 < end.size(); i++) {
      if (end.get(i).rms() + end.get(i + 1).rms() < end.get(quietest).rms() + end.get(quietest + 1).rms()) quietest = i;
    }
    double closure = Math.max(end.get(quietest).rms(), end.get(quietest + 1).rms());
    assertThat(closure).as("10 ms of closure in the last 100 ms").isLessThan(0.03 * vowel);
    int closedAt = end.get(quietest).startMs();
    List<Frame> bursts = end.stream().filter(f -> f.startMs() > closedAt && burst(f, vowel)).toList();
    assertThat(bursts).as("a burst after the closure").isNotEmpty();
    assertThat(bursts.getFirst().startMs()).as("in the gate's last 60 ms").isGreaterThanOrEqualTo(gate - 60);
    // The open vowel has neither.
    assertThat(frames(open, gate - 100, gate)).allSatisfy(f -> assertThat(f.rms()).isGreaterThan(0.2 * vowel))
        .noneMatch(f -> burst(f, vowel));
  }

  @Test
  void aStopsBreathIsQuieterThanTheVowel() {
    float[] opening = sing("T AA");
    float[] closing = sing("AA T");
    int gate = (int) (GATE * 1000);
    assertThat(rms(opening, ms(70), ms(120)) / rms(opening, ms(200), ms(450))).as("T AA: the aspiration after the burst, of the vowel")
        .isLessThan(1);
    assertThat(rms(closing, ms(gate - 60), ms(gate)) / rms(closing, ms(100), ms(400))).as("AA T: the gate's last 60 ms, of the vowel")
        .isLessThan(1);
  }

  /** A stop's release: loud, and hiss rather than voice. */
  private static boolean burst(Frame f, double vowel) {
    return f.rms() > 0.1 * vowel && f.high() > 0.6;
  }

  @Test
  void aNasalOnsetIsQuieterAndDarkerThanItsVowel() {
    float[] x = sing("M AA");
    double nasal = rms(x, ms(10), ms(70));
    double vowel = rms(x, ms(250), ms(450));
    assertThat(nasal).isLessThan(0.7 * vowel).isGreaterThan(0.05 * vowel);
    double nasalBright = Spectrum.of(x, ms(10), ms(70)).above(1000);
    double vowelBright = Spectrum.of(x, ms(250), ms(450)).above(1000);
    assertThat(nasalBright).as("share above 1 kHz, the m").isLessThan(0.3 * vowelBright);
  }

  @Test
  void theDiphthongAyRaisesItsSecondFormantLateInTheNote() {
    // AY glides from F2 1220 Hz to 1950 Hz; a pure vowel holds its formants.
    assertThat(f2Rise("AY")).as("AY, Hz").isGreaterThan(250);
    assertThat(f2Rise("AA")).as("AA, Hz").isBetween(-150.0, 150.0);
  }

  /**
   * How far the centre of the F2 region (where AY's second formant moves, 0.9–2.4 kHz) rises from
   * early in the note to the gate's last 60 ms.
   */
  private static double f2Rise(String vowel) {
    float[] x = sing(vowel);
    double lo = 0.75 * Phoneme.AY.f2, hi = 1.25 * Phoneme.AY.endF2;
    return Spectrum.of(x, ms(540), ms(600)).centroid(lo, hi) - Spectrum.of(x, ms(100), ms(250)).centroid(lo, hi);
  }

  @Test
  void renderingIsDeterministicAndDoesNotDependOnTheBlockSize() {
    Syllable s = syllable("S T R AY N T S");
    int gate = 30000;
    float[] reference = sing(s, 220, RATE, gate, 42, 1000);
    assertThat(sing(s, 220, RATE, gate, 42, 1000)).isEqualTo(reference);
    assertThat(sing(s, 220, RATE, gate, 42, 64)).isEqualTo(reference);
    assertThat(sing(s, 220, RATE, gate, 42, 333)).isEqualTo(reference);
    assertThat(sing(s, 220, RATE, gate, 43, 1000)).as("another seed breathes differently").isNotEqualTo(reference);
    assertThat(rms(reference, 0, gate)).isGreaterThan(0.01);
  }

  @Test
  void everySyllableStaysFiniteAndBoundedAndDiesAtAnyRateAndLength() {
    List<Phoneme> consonants = Arrays.stream(Phoneme.values()).filter(p -> !p.vowel()).toList();
    List<Phoneme> vowels = Arrays.stream(Phoneme.values()).filter(Phoneme::vowel).toList();
    int[] rates = {8000, 22050, 44100, 96000};
    SplittableRandom rng = new SplittableRandom(5);
    List<String> problems = new ArrayList<>();
    float[] block = new float[4096];
    int n = 0;
    for (int rate : rates) {
      for (int c = 0; c < consonants.size() + vowels.size(); c++) {
        List<Phoneme> onset = new ArrayList<>(), coda = new ArrayList<>();
        if (c < consonants.size()) {
          // Every consonant both leads a syllable and closes one, among random others.
          for (int k = rng.nextInt(3); k > 0; k--) onset.add(consonants.get(rng.nextInt(consonants.size())));
          onset.add(rng.nextInt(onset.size() + 1), consonants.get(c));
          for (int k = rng.nextInt(3); k > 0; k--) coda.add(consonants.get(rng.nextInt(consonants.size())));
          coda.add(rng.nextInt(coda.size() + 1), consonants.get(c));
        }
        Phoneme vowel = vowels.get((c + n) % vowels.size());
        Syllable s = new Syllable(onset, vowel, coda, rng.nextBoolean());
        int gate = n % 7 == 0 ? 64 : n % 7 == 1 ? 2 * rate : (int) (64 * Math.pow(2.0 * rate / 64, rng.nextDouble()));
        double hz = 60 * Math.pow(2, rng.nextDouble() * 4);
        n++;
        Singer singer = new Singer(hz, rate, s, gate, 1, rng.nextLong());
        double peak = 0;
        boolean alive = true;
        long rendered = 0;
        while (alive && rendered < 30L * rate) {
          alive = singer.render(block, null, 0, block.length);
          rendered += block.length;
          for (float v : block) peak = Float.isFinite(v) ? Math.max(peak, Math.abs(v)) : Double.NaN;
        }
        String what = "%s at %d Hz, %.0f Hz, gate %d".formatted(s, rate, hz, gate);
        if (!(peak < 4)) problems.add(what + ": peak " + peak);
        if (alive) problems.add(what + ": still sounding after 30 s");
      }
    }
    assertThat(n).isEqualTo(4 * Phoneme.values().length);
    assertThat(problems).isEmpty();
  }

  @Test
  void theVoiceIsAsLoudAtEveryRate() {
    double at44 = heldVowel(44100);
    for (int rate : new int[] {22050, 48000, 96000}) {
      assertThat(20 * Math.log10(heldVowel(rate) / at44)).as("%d Hz against 44.1 kHz, dB", rate).isBetween(-3.0, 3.0);
    }
  }

  private static double heldVowel(int rate) {
    float[] x = sing(syllable("AA"), HZ, rate, (int) (GATE * rate), 1, 512);
    return rms(x, (int) (0.2 * rate), (int) (0.45 * rate));
  }
}
