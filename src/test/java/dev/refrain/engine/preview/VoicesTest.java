package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class VoicesTest {
  private static final int RATE = 44_100;
  private static final int[] KIT = {Kit.KICK, Kit.RIM, Kit.SNARE, Kit.CLAP, Kit.HAT, Kit.PEDAL_HAT, Kit.OPEN_HAT,
      Kit.TOM_LOW, Kit.TOM_MID, Kit.TOM_HIGH, Kit.CRASH, Kit.RIDE, Kit.TAMBOURINE, Kit.COWBELL, Kit.CONGA_HIGH,
      Kit.CONGA_LOW, Kit.SHAKER, Kit.BRUSH};

  /** The mono sum of a sound rendered in odd-sized blocks until it dies, or {@code limit} seconds. */
  static float[] play(Sound sound, double limit) {
    int max = (int) (limit * RATE);
    float[] out = new float[max];
    float[] a = new float[777];
    float[] b = new float[777];
    int at = 0;
    boolean alive = true;
    while (alive && at < max) {
      int n = Math.min(a.length, max - at);
      alive = sound.render(a, b, 0, n);
      for (int i = 0; i < n; i++) out[at + i] = sound.wide() ? a[i] + b[i] : a[i];
      at += n;
    }
    assertThat(alive).as("died within %s s", limit).isFalse();
    return java.util.Arrays.copyOf(out, at);
  }

  static Sound sound(Part part, int key, double seconds) {
    Note note = new Note(0, (int) (seconds * RATE), key, 0.8f, 0, part, part == Part.VOICE ? Syllable.of(Phoneme.AA, true) : null);
    return Voices.sound(note, null, RATE, 0, new SplittableRandom(1));
  }

  static double peak(float[] x) {
    double p = 0;
    for (float s : x) {
      assertThat(Float.isFinite(s)).isTrue();
      p = Math.max(p, Math.abs(s));
    }
    return p;
  }

  static double rms(float[] x) {
    double sum = 0;
    for (float s : x) sum += (double) s * s;
    return Math.sqrt(sum / x.length);
  }

  /**
   * Every named instrument sounds (finite, within bounds, audible, dies away) and sounds unlike its
   * part's own sound and unlike every other instrument: their fingerprints (how bright, how fast
   * they fade, how long they ring) differ.
   */
  @Test
  void everyNamedInstrumentHasASoundOfItsOwn() {
    java.util.Map<Object, double[]> prints = new java.util.LinkedHashMap<>();
    for (Instrument i : Instrument.values()) {
      // A named singer is the same voice in another register: see aManSingsTheLineAnOctaveDown…; brushes
      // are the kit played another way: see ComposerTest.brushesSweepTheSnareWhereSticksWouldPlaySnareHatsAndRide.
      if (i.part() == Part.VOICE || i.part() == Part.DRUMS) continue;
      float[] x = play(named(i, null), 15);
      assertThat(peak(x)).as(i.label()).isLessThan(1.5);
      assertThat(rms(x)).as(i.label()).isGreaterThan(0.005);
      double[] own = fingerprint(x);
      double[] family = fingerprint(play(named(i.part(), null), 15));
      assertThat(differs(own, family, 0.1)).as(i.label() + " against its part's own sound, " + i.part()).isTrue();
      prints.put(i, own);
    }
    List<Object> names = new ArrayList<>(prints.keySet());
    for (int a = 0; a < names.size(); a++) {
      for (int b = a + 1; b < names.size(); b++) {
        assertThat(differs(prints.get(names.get(a)), prints.get(names.get(b)), 0.02)).as(names.get(a) + " vs " + names.get(b)).isTrue();
      }
    }
    assertThat(Instrument.values().length + Part.values().length - 1).as("instruments, drums counted once").isGreaterThanOrEqualTo(40);
  }

  /** A second-long note at middle C (two octaves lower for a bass) on the instrument, or on the part's own sound. */
  private static Sound named(Object who, Part part) {
    Part p = who instanceof Instrument i ? i.part() : (Part) who;
    Note note = new Note(0, RATE, p == Part.BASS ? 36 : 60, 0.8f, 0, p, p == Part.VOICE ? Syllable.of(Phoneme.AA, true) : null);
    return Voices.sound(note, who instanceof Instrument i ? i : null, RATE, 0, new SplittableRandom(1));
  }

  /**
   * Two measures of brightness (the level of the signal's slope over its own, zero crossings per
   * second), the second half-second's level over the first's (fade), and seconds until silent.
   */
  private static double[] fingerprint(float[] x) {
    float[] slope = new float[Math.min(x.length, RATE) - 1];
    for (int i = 0; i < slope.length; i++) slope[i] = x[i + 1] - x[i];
    int crossings = 0;
    for (int i = 1; i < Math.min(x.length, RATE); i++) if ((x[i - 1] < 0) != (x[i] < 0)) crossings++;
    double first = rms(java.util.Arrays.copyOfRange(x, 0, Math.min(x.length, RATE / 2)));
    double second = x.length > RATE / 2 ? rms(java.util.Arrays.copyOfRange(x, RATE / 2, Math.min(x.length, RATE))) : 0;
    return new double[] {rms(slope) / rms(java.util.Arrays.copyOf(x, slope.length)), crossings, second / first, x.length / (double) RATE};
  }

  /** Whether some component differs by more than {@code share} of the larger. */
  private static boolean differs(double[] a, double[] b, double share) {
    for (int k = 0; k < a.length; k++) {
      if (Math.abs(a[k] - b[k]) > share * Math.max(Math.abs(a[k]), Math.abs(b[k]))) return true;
    }
    return false;
  }

  /**
   * The genres' guitars and basses fill different bands: the amp's clipping holds a guitar's note up
   * and its cabinet takes the fizz off; nylon and an upright's wooden body keep their power low, a
   * slapped bass has more of its power up high than the usual one.
   */
  @Test
  void guitarsAndBassesSoundTheirGenres() {
    float[] clean = play(named(Part.GUITAR, null), 15), driven = play(named(Instrument.ELECTRIC_GUITAR, null), 15);
    double steel = share(clean, 1000, 5000);
    assertThat(share(driven, 6000, 20_000)).as("the cabinet's roll-off").isLessThan(share(clean, 6000, 20_000) / 2);
    assertThat(fingerprint(driven)[2]).as("the driven note's second half-second against its first").isGreaterThan(fingerprint(clean)[2]);
    assertThat(share(play(named(Instrument.NYLON_GUITAR, null), 15), 1000, 5000)).as("nylon against steel").isLessThan(0.75 * steel);
    double bass = share(play(named(Part.BASS, null), 15), 500, 5000);
    double slap = share(play(named(Instrument.SLAP_BASS, null), 15), 500, 5000);
    assertThat(slap).as("slap").isGreaterThan(2 * bass);
    assertThat(share(play(named(Instrument.UPRIGHT_BASS, null), 15), 500, 5000)).as("upright").isLessThan(slap / 4);
  }

  /**
   * A dark low plucked string (a fingered bass) is round, not a buzz over its note: its pick noise and
   * its loop are dulled with the pitch, so its power above its 24th partial is a small share (a
   * fixed-cutoff burst left 60 % there, for seconds). A bright one (a slap, a clavinet) keeps more of
   * its highs, and a string two octaves up keeps its bright attack either way.
   */
  @Test
  void aDarkLowPluckedStringIsRoundAndABrightOneKeepsItsEdge() {
    double[] low = new double[2];
    double[] brightness = {0.3, 0.7};
    for (int i = 0; i < 2; i++) {
      low[i] = share(play(new Pluck(Wave.hz(28), RATE, RATE, brightness[i], 0.5, 7, Pluck.GUITAR_PICK, 1), 15), 24 * Wave.hz(28), RATE / 2.0);
      float[] middle = play(new Pluck(Wave.hz(57), RATE, RATE, brightness[i], 0.5, 7, Pluck.GUITAR_PICK, 1), 15);
      assertThat(share(middle, 1000, RATE / 2.0)).as("middle, brightness %s", brightness[i]).isGreaterThan(0.45);
    }
    assertThat(low[0]).as("dark low").isLessThan(0.25);
    assertThat(low[1]).as("bright low").isGreaterThan(2 * low[0]);
  }

  /** The share of the first second's power between {@code lo} and {@code hi} Hz. */
  private static double share(float[] x, double lo, double hi) {
    int n = RATE;
    double[] buf = new double[n];
    for (int i = 0; i < Math.min(n, x.length); i++) buf[i] = x[i];
    new DoubleFFT_1D(n).realForward(buf);
    double in = 0, all = 0;
    for (int k = 1; k < n / 2; k++) {
      double p = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
      all += p;
      if (k >= lo && k < hi) in += p;
    }
    return in / all;
  }

  @ParameterizedTest
  @EnumSource(Part.class)
  void everyPartSoundsAndDiesAfterRelease(Part part) {
    int key = part == Part.DRUMS ? Kit.SNARE : part == Part.BASS ? 40 : 62;
    float[] x = play(sound(part, key, 0.5), 20);
    assertThat(peak(x)).as(part + " peak").isBetween(0.02, 2.0);
    // Held for half a second; by the time the sound says it has died, its last 5 ms are 40 dB down.
    float[] tail = java.util.Arrays.copyOfRange(x, Math.max(0, x.length - RATE / 200), x.length);
    assertThat(peak(tail)).isLessThan(0.01 * peak(x));
  }

  @Test
  void everyKitKeyAndStrayKeysSoundAndDie() {
    int[] stray = {27, 35, 40, 57, 60, 81, 100};
    for (int[] keys : new int[][] {KIT, stray}) {
      for (int key : keys) {
        float[] x = play(sound(Part.DRUMS, key, 0.1), 6);
        assertThat(peak(x)).as("drum " + key).isBetween(0.02, 2.0);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PIANO:69", "PIANO:48", "ORGAN:60", "PAD:57", "FLUTE:72", "BASS:40", "BASS:33",
      "STRINGS:64", "EPIANO:64", "SAX:62", "BRASS:60", "SYNTH:69", "BELLS:72"})
  void heldNotesSoundAtTheirPitch(String spec) {
    Part part = Part.valueOf(spec.split(":")[0]);
    int key = Integer.parseInt(spec.split(":")[1]);
    float[] x = play(sound(part, key, 2.5), 10);
    assertThat(dominant(x, RATE / 4, 1 << 16) / Wave.hz(key)).as(spec).isCloseTo(1, within(0.01));
  }

  /** A voice's formants or a string's pick position may favour an overtone, but it is one of the note's. */
  @ParameterizedTest
  @ValueSource(strings = {"VOICE:62", "VOICE:55", "GUITAR:33", "GUITAR:52", "GUITAR:64"})
  void formantAndPluckedNotesPeakOnAHarmonicOfTheirPitch(String spec) {
    Part part = Part.valueOf(spec.split(":")[0]);
    int key = Integer.parseInt(spec.split(":")[1]);
    float[] x = play(sound(part, key, 2.5), 10);
    double ratio = dominant(x, RATE / 4, 1 << 15) / Wave.hz(key);
    assertThat(ratio).as(spec).isGreaterThan(0.99).isCloseTo(Math.rint(ratio), within(0.01 * Math.rint(ratio)));
  }

  /** Sources for audio2audio and edit keep their own rate, so the rack must hold up from telephone rate to 96 kHz. */
  @ParameterizedTest
  @ValueSource(ints = {8000, 22_050, 48_000, 96_000})
  void everySoundStaysFiniteAndDiesAtOtherRates(int rate) {
    float[] a = new float[1000];
    float[] b = new float[1000];
    // As written, and struck as hard as the brightest reference can make it.
    for (double brightness : new double[] {0, 0.5}) {
      for (Part part : Part.values()) {
        int[] keys = part == Part.DRUMS ? KIT : new int[] {28, 60, 96};
        for (int key : keys) {
          String what = part + " " + key + " at " + rate + ", brightness " + brightness;
          Note note = new Note(0, rate / 4, key, 1f, 0, part, part == Part.VOICE ? Syllable.of(Phoneme.IY, true) : null);
          Sound sound = Voices.sound(note, null, rate, brightness, new SplittableRandom(key));
          boolean alive = true;
          for (int at = 0; alive && at < 30 * rate; at += a.length) {
            alive = sound.render(a, b, 0, a.length);
            assertThat(peak(a)).as(what).isLessThan(4);
            if (sound.wide()) assertThat(peak(b)).isLessThan(4);
          }
          assertThat(alive).as(what + " dies").isFalse();
        }
      }
    }
  }

  @Test
  void brightnessOpensTheToneOfEveryInstrumentThatHasOneAndLiftsTheKitsTopEnd() {
    for (Part part : Part.values()) {
      for (int key : part == Part.DRUMS ? new int[] {Kit.SNARE, Kit.HAT} : new int[] {60}) {
        Note note = new Note(0, RATE / 2, key, 0.7f, 0, part, part == Part.VOICE ? Syllable.of(Phoneme.AA, true) : null);
        float[] dark = play(Voices.sound(note, null, RATE, -0.5, new SplittableRandom(3)), 10);
        float[] usual = play(Voices.sound(note, null, RATE, 0, new SplittableRandom(3)), 10);
        float[] bright = play(Voices.sound(note, null, RATE, 0.5, new SplittableRandom(3)), 10);
        String what = part + " " + key;
        if (part == Part.DRUMS && key == Kit.HAT) {
          // Same sound, twice or half as loud against the rest of the kit.
          assertThat(peak(bright) / peak(usual)).as(what).isCloseTo(2, within(1e-3));
          assertThat(peak(dark) / peak(usual)).as(what).isCloseTo(0.5, within(1e-3));
        } else if (part == Part.DRUMS || part == Part.ORGAN || part == Part.VOICE || part == Part.BASS) {
          // Drum heads, drawbars and vowels have no strike to brighten, and the bass keeps its tone.
          assertThat(bright).as(what).isEqualTo(usual).isEqualTo(dark);
        } else {
          assertThat(slope(dark)).as("%s darker", what).isLessThan(slope(usual));
          assertThat(slope(bright)).as("%s brighter", what).isGreaterThan(slope(usual));
        }
      }
    }
  }

  /**
   * How fast a signal moves against how loud it is, sqrt(E[Δx²] / E[x²]): for a single sine
   * 2·sin(πf/rate), so it rises with the frequencies the energy sits at (a brightness measure).
   */
  private static double slope(float[] x) {
    double moves = 0;
    double energy = 0;
    for (int i = 1; i < x.length; i++) {
      moves += (x[i] - x[i - 1]) * (double) (x[i] - x[i - 1]);
      energy += x[i] * (double) x[i];
    }
    return Math.sqrt(moves / energy);
  }

  /** Peak frequency of a Hann-windowed stretch, refined by a parabola through the top bin and its neighbours. */
  static double dominant(float[] x, int from, int n) {
    double[] buf = new double[n];
    for (int i = 0; i < n; i++) buf[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
    new DoubleFFT_1D(n).realForward(buf);
    double[] mag = new double[n / 2];
    for (int k = 1; k < n / 2; k++) mag[k] = Math.hypot(buf[2 * k], buf[2 * k + 1]);
    int best = 1;
    for (int k = 2; k < n / 2 - 1; k++) if (mag[k] > mag[best]) best = k;
    double l = Math.log(mag[best - 1]), c = Math.log(mag[best]), r = Math.log(mag[best + 1]);
    double shift = 0.5 * (l - r) / (l - 2 * c + r);
    return (best + shift) * RATE / (double) n;
  }

  @Test
  void aManSingsTheLineAnOctaveDownAndAWomanWithHigherFormants() {
    Note note = new Note(0, RATE, 60, 0.8f, 0, Part.VOICE, Syllable.of(Phoneme.AA, true));
    float[] plain = sing(note, null), man = sing(note, Instrument.MALE_VOICE), woman = sing(note, Instrument.FEMALE_VOICE);
    assertThat(pitch(plain)).isCloseTo(Wave.hz(60), within(0.05 * Wave.hz(60)));
    assertThat(pitch(man)).isCloseTo(Wave.hz(48), within(0.05 * Wave.hz(48)));
    assertThat(pitch(woman)).isCloseTo(Wave.hz(60), within(0.05 * Wave.hz(60)));
    // The same note, its harmonics through formants 17 % higher: the sound's centre of mass moves up.
    assertThat(centroid(woman)).isGreaterThan(1.1 * centroid(plain));
  }

  private static float[] sing(Note note, Instrument instrument) {
    Sound sound = Voices.sound(note, instrument, RATE, 0, new SplittableRandom(5));
    float[] a = new float[RATE], b = new float[RATE];
    sound.render(a, b, 0, RATE);
    return a;
  }

  /** The fundamental by autocorrelation over 100 ms early in the note, before the vibrato grows. */
  private static double pitch(float[] x) {
    int from = RATE / 10, n = RATE / 10, best = 0;
    double bestR = -1;
    for (int lag = RATE / 1000; lag < RATE / 60; lag++) {
      double r = 0;
      for (int i = from; i < from + n; i++) r += x[i] * x[i + lag];
      if (r > bestR) {
        bestR = r;
        best = lag;
      }
    }
    return RATE / (double) best;
  }

  private static double centroid(float[] x) {
    int n = 8192;
    double[] frame = new double[n];
    for (int i = 0; i < n; i++) frame[i] = x[RATE / 10 + i];
    new DoubleFFT_1D(n).realForward(frame);
    double num = 0, den = 0;
    for (int k = 1; k < n / 2; k++) {
      double e = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
      num += e * k * RATE / (double) n;
      den += e;
    }
    return num / den;
  }
}
