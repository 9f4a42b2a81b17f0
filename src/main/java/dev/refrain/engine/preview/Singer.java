package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sung syllable by source and filter, in the manner of Klatt's formant synthesiser. A glottal
 * sawtooth (tilted darker) and aspiration noise go through a cascade: a nasal pole and zero, the
 * syllable's moving first three formants, and fixed upper ones from the singer's formant near
 * 3.3 kHz up; then out through the lips' radiation. Hiss and stop bursts go through a band-pass
 * of their own beside it. The syllable is laid out on the note as segments: its onset consonants
 * from the note's start, the vowel held through the middle (a diphthong gliding to its second
 * target late, as singers hold the first), its closing consonants at the note's end, or, with
 * none, the vowel bending toward the line's next sound. Formants glide between segments' targets,
 * so a stop is heard by its burst and by the transitions its locus bends into the vowel. Pitch
 * scoops up into the note (or, sung legato, glides from the last) and grows a delayed vibrato over
 * a slow random drift, so held notes never sound machine-steady.
 */
final class Singer extends Sound {
  private static final double VIBRATO_HZ = 5.3;
  private static final double VIBRATO_CENTS = 22;
  private static final double VIBRATO_DELAY = 0.35;
  private static final double SCOOP_CENTS = 70;
  private static final double SCOOP_TIME = 0.045;
  /** The widest pitch glide from one legato note into the next. */
  private static final double MAX_GLIDE_CENTS = 700;
  private static final double DRIFT_CENTS = 3;
  /** Breath always under the voice, and how long formants and levels take to settle on a new target. */
  private static final double BREATHINESS = 0.006;
  private static final double FORMANT_TIME = 0.012;
  private static final double LEVEL_TIME = 0.003;
  /**
   * The tract's fixed upper resonances, Hz and bandwidth: the singer's formant near 3.3 kHz, then
   * one a kilohertz on as in a tube, so the voice keeps its presence up to 7 kHz instead of every
   * resonator's roll-off burying it.
   */
  private static final double[][] UPPER = {{3300, 250}, {4500, 350}, {5500, 450}, {6500, 550}};
  /** Above this the sawtooth is darkened a further 6 dB an octave: a glottal pulse falls 12 dB an octave. */
  private static final double GLOTTAL_TILT = 80;
  /** Consonants take at most this share of a note; shorter notes squeeze them. */
  private static final double CONSONANT_SHARE = 0.55;
  /** A diphthong glides to its second target over the last of its vowel, a longer share of a short one. */
  private static final double GLIDE_SECONDS = 0.15;
  private static final double GLIDE_MOST = 0.6;
  /** How long a vowel bends toward the next syllable's first sound before the note ends. */
  private static final double LEAVING_SECONDS = 0.045;
  /** The hiss beside the cascade against the aspiration through it. */
  private static final double HISS_LEVEL = 3;
  private static final double GAIN = 0.055;
  /** Makes up the level the lips' differentiation takes from the low formants. */
  private static final double RADIATION = 8;
  /** Makes up what the glottal tilt takes from the voice around 500 Hz, where its loudness lies. */
  private static final double VOICE = StrictMath.hypot(1, 500 / GLOTTAL_TILT);
  /** Breath and hiss against the voice: consonants a listener (or a recogniser) can catch. */
  private static final double NOISE = 4;
  /** The first formant at which voicing is 1: an open "ah". */
  private static final double OPEN_F1 = 700;

  /** What a stretch of the syllable sounds like. */
  private enum Kind { CLOSURE, BURST, ASPIRATION, FRICATION, SONORANT, VOWEL, LEAVING }

  private record Segment(Kind kind, Phoneme phoneme, Phoneme next, int end) {}

  private final List<Segment> segments;
  private final Adsr env;
  private final double gain;
  private final double inc;
  private final int rate;
  private final double tract;
  private final double radiation;
  private final double noiseLevel;
  private final double vibratoInc;
  private final double vibratoRamp;
  private final double scoopFall;
  private final double formantGlide;
  private final double levelGlide;
  private final double tone;
  /** Cascade resonators: per formant a (input gain), b, c, and two outputs of state. */
  private final double[] ra = new double[3];
  private final double[] rb = new double[3];
  private final double[] rc = new double[3];
  private final double[] ry = new double[6];
  /** The upper resonators: per resonator a, b, c and two outputs of state. */
  private final double[] upper = new double[5 * UPPER.length];
  /** Smoothed formants and bandwidths, and the levels of voicing, aspiration and hiss. */
  private final double[] formant = new double[3];
  /**
   * The nose: a fixed pole and a moving zero (an antiresonator) in the cascade. Away from a nasal
   * the zero sits on the pole and the two cancel; in one it moves to where the closed mouth
   * swallows the murmur's energy (about 1 kHz for "m", 1.5 kHz for "n").
   */
  private final double[] nasalPole;
  private double zero = NASAL_POLE;
  private double za = 1;
  private double zb;
  private double zc;
  private double zx1;
  private double zx2;
  private double ny1;
  private double ny2;
  private final double[] width = new double[3];
  private double voicing;
  private double aspiration;
  private double hiss;
  private double dVoicing;
  private double dAspiration;
  private double dHiss;
  /** The hiss band-pass (RBJ, 0 dB peak) and the state of its two passes. */
  private double hb0;
  private double ha1;
  private double ha2;
  private double hx1;
  private double hx2;
  private double hy1;
  private double hy2;
  private double hu1;
  private double hu2;
  private double hw1;
  private double hw2;
  private double radiated;
  private int segment;
  private int frame;
  private double phase;
  private double vibratoPhase;
  private double vibrato;
  private double scoop = -SCOOP_CENTS;
  private double drift;
  private double bend = 1;
  private double low;
  private double g;
  private double dg;
  private long seed;
  /** The singer of the note before, while this one has yet to take its voice over; see {@link #carryOn}. */
  private Singer before;
  /** Samples into this note after which it falls silent, its voice carried on by the next note's singer. */
  private int handover = Integer.MAX_VALUE;
  private int rendered;

  Singer(double hz, int rate, Syllable syllable, int gate, double gain, long seed) {
    this(hz, rate, syllable, gate, gain, seed, 1);
  }

  /** {@code tract} scales every formant: above 1 a shorter vocal tract, a woman's or a child's. */
  Singer(double hz, int rate, Syllable syllable, int gate, double gain, long seed, double tract) {
    this.tract = tract;
    this.rate = rate;
    // A difference of successive samples grows with the step between them: the same loudness at every rate.
    radiation = RADIATION * rate / 44_100.0;
    // White noise spreads its power over the whole band to Nyquist: at a lower rate more of it falls in each formant.
    noiseLevel = NOISE * StrictMath.sqrt(rate / 44_100.0);
    inc = hz / rate;
    vibratoInc = VIBRATO_HZ * STEP / rate;
    vibratoRamp = VIBRATO_CENTS * STEP / (VIBRATO_DELAY * rate);
    scoopFall = Wave.decay(SCOOP_TIME, rate / STEP);
    formantGlide = 1 - Wave.decay(FORMANT_TIME, rate / STEP);
    levelGlide = 1 - Wave.decay(LEVEL_TIME, rate / STEP);
    tone = 1 - StrictMath.exp(-2 * StrictMath.PI * GLOTTAL_TILT / rate);
    segments = layout(syllable, gate, rate);
    nasalPole = resonator(NASAL_POLE, NASAL_WIDTH, rate);
    tuneZero();
    Targets first = targets(segments.getFirst(), 0, 1);
    for (int f = 0; f < 3; f++) formant[f] = first.formants[f] * tract;
    System.arraycopy(first.widths, 0, width, 0, 3);
    for (int k = 0; k < UPPER.length; k++) {
      // At a low rate the resonances above Nyquist are left out (passed straight through), not piled up under it.
      double hzk = UPPER[k][0] * tract;
      double[] abc = hzk < 0.45 * rate ? resonator(hzk, UPPER[k][1], rate) : new double[] {1, 0, 0};
      System.arraycopy(abc, 0, upper, 5 * k, 3);
    }
    env = new Adsr(rate, 0.008, 0.4, 0.9, 0.035, gate);
    this.gain = gain * GAIN;
    this.seed = seed;
  }

  /** The syllable's segments on the note, each ending at a frame; the vowel takes what the consonants leave. */
  private static List<Segment> layout(Syllable s, int gate, int rate) {
    List<Phoneme> onset = s.onset(), coda = s.coda();
    List<Double> before = new ArrayList<>(), after = new ArrayList<>();
    double consonants = 0;
    for (int i = 0; i < onset.size(); i++) consonants += durations(onset.get(i), true, before);
    for (int i = 0; i < coda.size(); i++) consonants += durations(coda.get(i), false, after);
    double seconds = gate / (double) rate;
    double squeeze = Math.min(1, CONSONANT_SHARE * seconds / Math.max(consonants, 1e-9));
    List<Segment> out = new ArrayList<>();
    double t = 0;
    int k = 0;
    for (int i = 0; i < onset.size(); i++) {
      Phoneme next = i + 1 < onset.size() ? onset.get(i + 1) : s.nucleus();
      for (Kind kind : kinds(onset.get(i))) {
        t += before.get(k++) * squeeze;
        out.add(new Segment(kind, onset.get(i), next, (int) (t * rate)));
      }
    }
    double codaTime = 0;
    for (double d : after) codaTime += d * squeeze;
    // With nothing to close it, the vowel's end bends toward the line's next sound.
    boolean leaves = coda.isEmpty() && s.next() != null;
    if (leaves) codaTime = Math.min(LEAVING_SECONDS, 0.25 * seconds);
    t = Math.max(t, seconds - codaTime);
    out.add(new Segment(Kind.VOWEL, s.nucleus(), s.nucleus(), (int) (t * rate)));
    if (leaves) out.add(new Segment(Kind.LEAVING, s.nucleus(), s.next(), (int) (seconds * rate)));
    k = 0;
    for (int i = 0; i < coda.size(); i++) {
      for (Kind kind : kinds(coda.get(i))) {
        t += after.get(k++) * squeeze;
        out.add(new Segment(kind, coda.get(i), s.nucleus(), (int) (t * rate)));
      }
    }
    return out;
  }

  /** How long the syllable's leading consonants take when the note has room for them. */
  static double onsetSeconds(Syllable s) {
    double sum = 0;
    for (Phoneme p : s.onset()) sum += durations(p, true, new ArrayList<>());
    return sum;
  }

  /** The stretches a consonant is made of, in order. */
  private static List<Kind> kinds(Phoneme p) {
    return switch (p.manner) {
      case STOP -> p.voiced ? List.of(Kind.CLOSURE, Kind.BURST) : List.of(Kind.CLOSURE, Kind.BURST, Kind.ASPIRATION);
      case AFFRICATE -> List.of(Kind.CLOSURE, Kind.FRICATION);
      case FRICATIVE -> List.of(Kind.FRICATION);
      case ASPIRATE -> List.of(Kind.ASPIRATION);
      case NASAL, APPROXIMANT -> List.of(Kind.SONORANT);
      case VOWEL -> List.of(Kind.VOWEL);
    };
  }

  /** Adds the seconds of each stretch of the consonant, as {@link #kinds} lists them, and returns their sum. */
  private static double durations(Phoneme p, boolean onset, List<Double> out) {
    double[] each = switch (p.manner) {
      case STOP -> p.voiced ? new double[] {0.05, 0.012} : new double[] {0.055, 0.01, onset ? 0.06 : 0.03};
      case AFFRICATE -> new double[] {0.045, 0.07};
      case FRICATIVE -> new double[] {p.voiced ? 0.075 : 0.1};
      case ASPIRATE -> new double[] {0.07};
      case NASAL -> new double[] {0.075};
      case APPROXIMANT -> new double[] {0.065};
      case VOWEL -> new double[] {0.1};
    };
    double sum = 0;
    for (double d : each) {
      out.add(d);
      sum += d;
    }
    return sum;
  }

  /** What a segment aims for: formants and bandwidths, and the levels of voicing, aspiration and hiss with its band. */
  private record Targets(double[] formants, double[] widths, double voicing, double aspiration, double hiss,
      double hissHz, double hissWidth, double zero) {
    Targets(double[] formants, double[] widths, double voicing, double aspiration, double hiss, double hissHz, double hissWidth) {
      this(formants, widths, voicing, aspiration, hiss, hissHz, hissWidth, NASAL_POLE);
    }
  }

  private static final double[] VOWEL_WIDTHS = {80, 100, 150};
  private static final double NASAL_POLE = 270;
  private static final double NASAL_WIDTH = 100;
  private static final double[] NASAL_WIDTHS = {60, 500, 800};
  /** Breath through an open glottis damps the first formant. */
  private static final double[] ASPIRATED_WIDTHS = {300, 150, 200};
  private static final double[] APPROXIMANT_WIDTHS = {100, 150, 220};

  /** {@code along} is how far through its {@code seconds} the segment is, in [0, 1], for a diphthong's glide. */
  private static Targets targets(Segment seg, double along, double seconds) {
    Phoneme p = seg.phoneme();
    double[] at = {p.f1, p.f2, p.f3};
    return switch (seg.kind()) {
      case VOWEL -> {
        double share = Math.min(GLIDE_MOST, GLIDE_SECONDS / Math.max(seconds, 1e-3));
        double glide = Math.max(0, (along - (1 - share)) / share);
        double[] f = {p.f1 + glide * (p.endF1 - p.f1), p.f2 + glide * (p.endF2 - p.f2), p.f3 + glide * (p.endF3 - p.f3)};
        yield new Targets(f, VOWEL_WIDTHS, open(f[0]), BREATHINESS, 0, 0, 0);
      }
      case LEAVING -> new Targets(leaving(seg), VOWEL_WIDTHS, open(p.endF1), BREATHINESS, 0, 0, 0);
      // A voiced closure hums low behind the lips (the voice bar); a voiceless one is silence.
      case CLOSURE -> new Targets(at, VOWEL_WIDTHS, p.voiced ? 0.12 : 0, 0, 0, 0, 0);
      case BURST -> new Targets(at, VOWEL_WIDTHS, p.voiced ? 0.5 : 0, 0.3, 0.6 * p.noise * band(p), p.noiseHz, p.noiseWidth);
      // Aspiration is breath through the vocal tract already shaping the next sound.
      case ASPIRATION -> new Targets(neighbour(seg), ASPIRATED_WIDTHS, 0, 0.15, 0, 0, 0);
      case FRICATION -> new Targets(at, VOWEL_WIDTHS, p.voiced ? 0.35 : 0, 0, p.noise * band(p), p.noiseHz, p.noiseWidth);
      case SONORANT -> p.manner == Phoneme.Manner.NASAL
          ? new Targets(at, NASAL_WIDTHS, 0.3 * open(p.f1), 0, 0, 0, 0, p.noiseHz)
          : new Targets(at, APPROXIMANT_WIDTHS, 0.6 * open(p.f1), BREATHINESS, 0, 0, 0);
    };
  }

  /**
   * Voicing for a sound with this first formant: the lips' differentiation leaves a close vowel
   * (low F1) far quieter than an open one, and singers even that out, so the voice is pushed more.
   */
  private static double open(double f1) {
    return StrictMath.pow(OPEN_F1 / f1, 0.8);
  }

  /** Evens out the hiss's loudness across bands: a wider band lets through more of the noise. */
  private static double band(Phoneme p) {
    return StrictMath.sqrt(3000 / p.noiseWidth);
  }

  /** Where the vowel heads as it leaves: the next sound's place, or the vowel's own end when that has none (a breath). */
  private static double[] leaving(Segment seg) {
    Phoneme n = seg.next();
    Phoneme p = seg.phoneme();
    return n.f1 == 0 ? new double[] {p.endF1, p.endF2, p.endF3} : new double[] {n.f1, n.f2, n.f3};
  }

  /** The formants of the sound an aspiration opens onto (or, closing the syllable, the vowel before it). */
  private static double[] neighbour(Segment seg) {
    Phoneme n = seg.next().manner == Phoneme.Manner.ASPIRATE || seg.next().f1 == 0 ? Phoneme.AH : seg.next();
    return new double[] {n.f1, n.f2, n.f3};
  }

  /**
   * Sings this note legato out of {@code previous}, which it follows with no break: {@code previous}
   * stops {@code at} samples into its own note, where this one starts, and this one starts from
   * where its voice is then (tract, levels, pitch), so the line flows on without a new attack, its
   * formants gliding from the last sound to this syllable's first. The mixer renders the earlier
   * note first, so the hand-over falls at the same sample however the work is cut into blocks.
   */
  void carryOn(Singer previous, int at) {
    previous.handover = at;
    before = previous;
  }

  /** Takes the voice over from the singer before, as it stopped. */
  private void take(Singer p) {
    System.arraycopy(p.formant, 0, formant, 0, 3);
    System.arraycopy(p.width, 0, width, 0, 3);
    System.arraycopy(p.ry, 0, ry, 0, ry.length);
    for (int k = 0; k < UPPER.length; k++) {
      upper[5 * k + 3] = p.upper[5 * k + 3];
      upper[5 * k + 4] = p.upper[5 * k + 4];
    }
    zero = p.zero;
    zx1 = p.zx1;
    zx2 = p.zx2;
    ny1 = p.ny1;
    ny2 = p.ny2;
    voicing = p.voicing;
    aspiration = p.aspiration;
    hiss = p.hiss;
    hb0 = p.hb0;
    ha1 = p.ha1;
    ha2 = p.ha2;
    hx1 = p.hx1;
    hx2 = p.hx2;
    hy1 = p.hy1;
    hy2 = p.hy2;
    hu1 = p.hu1;
    hu2 = p.hu2;
    hw1 = p.hw1;
    hw2 = p.hw2;
    radiated = p.radiated;
    phase = p.phase;
    low = p.low;
    vibrato = p.vibrato;
    vibratoPhase = p.vibratoPhase;
    drift = p.drift;
    env.from(p.env.level());
    // Legato: the pitch glides from the last note's into this one's instead of scooping up from below.
    double cents = 1200 * StrictMath.log(p.inc * p.bend / inc) / StrictMath.log(2);
    scoop = Math.max(-MAX_GLIDE_CENTS, Math.min(MAX_GLIDE_CENTS, cents));
  }

  @Override
  boolean control() {
    if (before != null) {
      take(before);
      before = null;
    }
    if (env.done() || rendered >= handover) return false;
    g = env.level() * gain;
    dg = (env.next() * gain - g) / STEP;
    // The last sound carries on through the release.
    while (segment < segments.size() - 1 && frame >= segments.get(segment).end()) segment++;
    Segment seg = segments.get(segment);
    int start = segment == 0 ? 0 : segments.get(segment - 1).end();
    int length = Math.max(1, seg.end() - start);
    Targets t = targets(seg, Math.min(1, (frame - start) / (double) length), length / (double) rate);
    for (int f = 0; f < 3; f++) {
      formant[f] += formantGlide * (t.formants[f] * tract - formant[f]);
      width[f] += formantGlide * (t.widths[f] - width[f]);
      tuneResonator(f, formant[f], width[f]);
    }
    zero += formantGlide * (t.zero - zero);
    tuneZero();
    dVoicing = levelGlide * (t.voicing - voicing) / STEP;
    dAspiration = levelGlide * (t.aspiration - aspiration) / STEP;
    dHiss = levelGlide * (t.hiss - hiss) / STEP;
    if (t.hiss > 0) tuneHiss(t.hissHz, t.hissWidth);
    frame += STEP;

    vibrato = Math.min(VIBRATO_CENTS, vibrato + vibratoRamp);
    vibratoPhase += vibratoInc;
    if (vibratoPhase >= 1) vibratoPhase -= 1;
    scoop *= scoopFall;
    seed = Wave.next(seed);
    drift = 0.995 * drift + 0.1 * DRIFT_CENTS * Wave.white(seed);
    bend = Wave.cents(scoop + drift + vibrato * Wave.sine(vibratoPhase));
    return true;
  }

  /** Klatt's resonator: unity gain at DC, so a cascade of them shapes the spectrum without changing its level there. */
  private void tuneResonator(int f, double hz, double bandwidth) {
    // Every control step: the coefficients go straight into place, no array per call.
    double h = Math.min(hz, 0.45 * rate);
    double c = -StrictMath.exp(-2 * StrictMath.PI * bandwidth / rate);
    double b = 2 * StrictMath.exp(-StrictMath.PI * bandwidth / rate) * StrictMath.cos(2 * StrictMath.PI * h / rate);
    ra[f] = 1 - b - c;
    rb[f] = b;
    rc[f] = c;
  }

  /** The nasal antiresonator: the inverse of a resonator at {@link #zero}. */
  private void tuneZero() {
    double c = -StrictMath.exp(-2 * StrictMath.PI * NASAL_WIDTH / rate);
    double w = 2 * StrictMath.PI * Math.min(zero, 0.45 * rate) / rate;
    double b = 2 * StrictMath.exp(-StrictMath.PI * NASAL_WIDTH / rate) * StrictMath.cos(w);
    double a = 1 - b - c;
    za = 1 / a;
    zb = -b / a;
    zc = -c / a;
  }

  /** A resonator's a, b, c, for the fixed ones set up once. */
  private static double[] resonator(double hz, double bandwidth, int rate) {
    double h = Math.min(hz, 0.45 * rate);
    double c = -StrictMath.exp(-2 * StrictMath.PI * bandwidth / rate);
    double b = 2 * StrictMath.exp(-StrictMath.PI * bandwidth / rate) * StrictMath.cos(2 * StrictMath.PI * h / rate);
    return new double[] {1 - b - c, b, c};
  }

  private void tuneHiss(double hz, double bandwidth) {
    double h = Math.min(hz, 0.42 * rate);
    double w = 2 * StrictMath.PI * h / rate;
    double alpha = StrictMath.sin(w) * Math.min(bandwidth, 1.8 * h) / (2 * h);
    double a0 = 1 + alpha;
    hb0 = alpha / a0;
    ha1 = -2 * StrictMath.cos(w) / a0;
    ha2 = (1 - alpha) / a0;
  }

  @Override
  void run(float[] a, float[] bOut, int at, int from, int whole) {
    // Handing over mid-step: the samples after the hand-over are the next singer's.
    int n = (int) Math.min(whole, Math.max(0, (long) handover - rendered));
    Arrays.fill(a, at + n, at + whole, 0f);
    rendered += whole;
    double ph = phase, lo = low, gg = g, t = tone, av = voicing, ah = aspiration, af = hiss;
    double dt = inc * bend;
    double y0a = ry[0], y0b = ry[1], y1a = ry[2], y1b = ry[3], y2a = ry[4], y2b = ry[5];
    double a0 = ra[0], a1 = ra[1], a2 = ra[2];
    double b0 = rb[0], b1 = rb[1], b2 = rb[2];
    double c0 = rc[0], c1 = rc[1], c2 = rc[2];
    double x1 = hx1, x2 = hx2, z1 = hy1, z2 = hy2, hb = hb0, h1 = ha1, h2 = ha2, lips = radiated;
    double u1 = hu1, u2 = hu2, w1 = hw1, w2 = hw2;
    double[] up = upper;
    double np0 = nasalPole[0], np1 = nasalPole[1], np2 = nasalPole[2], rad = radiation, nl = noiseLevel;
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = Wave.next(s);
      double noise = Wave.white(s);
      lo += t * (Wave.saw(ph, dt) - lo);
      ph += dt;
      if (ph >= 1) ph -= 1;
      double source = av * VOICE * lo + ah * nl * noise;
      double nosed = np0 * (za * source + zb * zx1 + zc * zx2) + np1 * ny1 + np2 * ny2;
      zx2 = zx1;
      zx1 = source;
      ny2 = ny1;
      ny1 = nosed;
      double v0 = a0 * nosed + b0 * y0a + c0 * y0b;
      y0b = y0a;
      y0a = v0;
      double v1 = a1 * v0 + b1 * y1a + c1 * y1b;
      y1b = y1a;
      y1a = v1;
      double v = a2 * v1 + b2 * y2a + c2 * y2b;
      y2b = y2a;
      y2a = v;
      for (int k = 0; k < UPPER.length; k++) {
        int j = 5 * k;
        double out = up[j] * v + up[j + 1] * up[j + 3] + up[j + 2] * up[j + 4];
        up[j + 4] = up[j + 3];
        up[j + 3] = out;
        v = out;
      }
      // The hiss through the band-pass twice: skirts of 12 dB an octave, so an "s" stays above 3 kHz.
      double fricative = af * nl * noise;
      double once = hb * (fricative - x2) - h1 * z1 - h2 * z2;
      x2 = x1;
      x1 = fricative;
      z2 = z1;
      z1 = once;
      double hissed = hb * (once - u2) - h1 * w1 - h2 * w2;
      u2 = u1;
      u1 = once;
      w2 = w1;
      w1 = hissed;
      // The lips radiate the tract's output differentiated: 6 dB an octave brighter.
      a[at + i] = (float) ((rad * (v - lips) + HISS_LEVEL * hissed) * gg);
      lips = v;
      gg += dg;
      av += dVoicing;
      ah += dAspiration;
      af += dHiss;
    }
    phase = ph;
    low = lo;
    g = gg;
    voicing = av;
    aspiration = ah;
    hiss = af;
    seed = s;
    radiated = lips;
    hu1 = u1;
    hu2 = u2;
    hw1 = w1;
    hw2 = w2;
    hx1 = x1;
    hx2 = x2;
    hy1 = z1;
    hy2 = z2;
    ry[0] = y0a; ry[1] = y0b; ry[2] = y1a; ry[3] = y1b; ry[4] = y2a; ry[5] = y2b;
  }
}
