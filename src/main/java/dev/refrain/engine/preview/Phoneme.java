package dev.refrain.engine.preview;

import java.util.Locale;

/**
 * The sounds of sung English in ARPAbet, the CMU pronouncing dictionary's alphabet, each with what
 * the {@link Singer} needs to articulate it: its manner, whether the folds vibrate, the first three
 * formants it aims for (an adult male voice: Hillenbrand's vowel averages, Klatt's consonant loci),
 * and for the noisy ones where their hiss lies. A diphthong glides to a second set of formants at
 * its end; a stop's formants are the locus its neighbours' transitions point at.
 */
enum Phoneme {
  AA(Manner.VOWEL, 730, 1090, 2440),
  AE(Manner.VOWEL, 660, 1720, 2410),
  AH(Manner.VOWEL, 620, 1200, 2550),
  AO(Manner.VOWEL, 590, 880, 2540),
  AW(Manner.VOWEL, 720, 1220, 2600, 450, 950, 2400),
  AY(Manner.VOWEL, 720, 1220, 2600, 400, 1950, 2600),
  EH(Manner.VOWEL, 580, 1800, 2600),
  ER(Manner.VOWEL, 480, 1380, 1700),
  EY(Manner.VOWEL, 480, 2000, 2650, 330, 2250, 2850),
  IH(Manner.VOWEL, 450, 1900, 2600),
  IY(Manner.VOWEL, 300, 2300, 3000),
  OW(Manner.VOWEL, 520, 900, 2450, 420, 1000, 2350),
  OY(Manner.VOWEL, 560, 860, 2450, 400, 1950, 2600),
  UH(Manner.VOWEL, 470, 1120, 2430),
  UW(Manner.VOWEL, 320, 1150, 2300),
  B(Manner.STOP, true, 200, 1100, 2150, 900, 1500, 0.5),
  D(Manner.STOP, true, 200, 1600, 2600, 4000, 3000, 0.7),
  G(Manner.STOP, true, 200, 1990, 2850, 2300, 1500, 0.7),
  P(Manner.STOP, false, 200, 1100, 2150, 900, 1500, 0.6),
  T(Manner.STOP, false, 200, 1600, 2600, 4500, 3000, 0.9),
  K(Manner.STOP, false, 200, 1990, 2850, 2300, 1500, 0.9),
  CH(Manner.AFFRICATE, false, 300, 1840, 2750, 3200, 1800, 1.0),
  JH(Manner.AFFRICATE, true, 260, 1840, 2750, 3200, 1800, 0.5),
  F(Manner.FRICATIVE, false, 340, 1100, 2080, 5000, 6000, 0.22),
  V(Manner.FRICATIVE, true, 220, 1100, 2080, 5000, 6000, 0.12),
  TH(Manner.FRICATIVE, false, 320, 1290, 2540, 5500, 5000, 0.22),
  DH(Manner.FRICATIVE, true, 270, 1290, 2540, 5500, 5000, 0.12),
  S(Manner.FRICATIVE, false, 320, 1390, 2530, 5500, 3000, 1.0),
  Z(Manner.FRICATIVE, true, 240, 1390, 2530, 5500, 3000, 0.55),
  SH(Manner.FRICATIVE, false, 300, 1840, 2750, 2900, 1800, 1.0),
  ZH(Manner.FRICATIVE, true, 250, 1840, 2750, 2900, 1800, 0.55),
  HH(Manner.ASPIRATE, false, 0, 0, 0, 0, 0, 0),
  M(Manner.NASAL, true, 270, 1100, 2150, 1000, 0, 0),
  N(Manner.NASAL, true, 270, 1600, 2600, 1500, 0, 0),
  NG(Manner.NASAL, true, 270, 2000, 2800, 2500, 0, 0),
  L(Manner.APPROXIMANT, true, 330, 1050, 2880, 0, 0, 0),
  R(Manner.APPROXIMANT, true, 330, 1060, 1400, 0, 0, 0),
  W(Manner.APPROXIMANT, true, 290, 610, 2150, 0, 0, 0),
  Y(Manner.APPROXIMANT, true, 260, 2070, 3020, 0, 0, 0);

  /** How the sound is made, which decides how the singer times and voices it. */
  enum Manner { VOWEL, STOP, AFFRICATE, FRICATIVE, ASPIRATE, NASAL, APPROXIMANT }

  final Manner manner;
  final boolean voiced;
  /** Formant targets in Hz; an {@link Manner#ASPIRATE} takes its neighbour's, so these are 0. */
  final double f1;
  final double f2;
  final double f3;
  /** Where a diphthong ends; the same as the start for a pure vowel or a consonant. */
  final double endF1;
  final double endF2;
  final double endF3;
  /**
   * The hiss of a fricative, or the burst of a stop: centre and bandwidth in Hz, and its level; for
   * a nasal, noiseHz is instead the antiresonance the closed mouth puts in its murmur.
   */
  final double noiseHz;
  final double noiseWidth;
  final double noise;

  Phoneme(Manner manner, double f1, double f2, double f3) {
    this(manner, f1, f2, f3, f1, f2, f3);
  }

  Phoneme(Manner manner, double f1, double f2, double f3, double endF1, double endF2, double endF3) {
    this.manner = manner;
    this.voiced = true;
    this.f1 = f1;
    this.f2 = f2;
    this.f3 = f3;
    this.endF1 = endF1;
    this.endF2 = endF2;
    this.endF3 = endF3;
    this.noiseHz = 0;
    this.noiseWidth = 0;
    this.noise = 0;
  }

  Phoneme(Manner manner, boolean voiced, double f1, double f2, double f3, double noiseHz, double noiseWidth, double noise) {
    this.manner = manner;
    this.voiced = voiced;
    this.f1 = f1;
    this.f2 = f2;
    this.f3 = f3;
    this.endF1 = f1;
    this.endF2 = f2;
    this.endF3 = f3;
    this.noiseHz = noiseHz;
    this.noiseWidth = noiseWidth;
    this.noise = noise;
  }

  boolean vowel() {
    return manner == Manner.VOWEL;
  }

  /** The phoneme an ARPAbet symbol names, stress digits ignored ("AH0" is AH); null for anything else. */
  static Phoneme arpabet(String symbol) {
    String s = symbol.toUpperCase(Locale.ROOT);
    int end = s.length();
    while (end > 0 && Character.isDigit(s.charAt(end - 1))) end--;
    try {
      return valueOf(s.substring(0, end));
    } catch (IllegalArgumentException notOne) {
      return null;
    }
  }
}
