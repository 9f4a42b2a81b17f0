package dev.refrain.engine.preview;

/** A sung vowel as its first three formant frequencies in Hz (classic averages for an adult voice). */
enum Vowel {
  A(730, 1090, 2440),
  E(530, 1840, 2480),
  I(270, 2290, 3010),
  O(570, 840, 2410),
  U(300, 870, 2240);

  final double f1;
  final double f2;
  final double f3;

  Vowel(double f1, double f2, double f3) {
    this.f1 = f1;
    this.f2 = f2;
    this.f3 = f3;
  }

  /** The vowel a lower-case Latin vowel letter usually sounds as; anything else hums on U. */
  static Vowel of(char c) {
    return switch (c) {
      case 'a' -> A;
      case 'e' -> E;
      case 'i', 'y' -> I;
      case 'o' -> O;
      default -> U;
    };
  }
}
