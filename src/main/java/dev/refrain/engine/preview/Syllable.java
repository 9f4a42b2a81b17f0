package dev.refrain.engine.preview;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one sung note carries: the consonants that lead into it, the vowel it is held on, the
 * consonants that close it, and whether the word leans on it.
 */
record Syllable(List<Phoneme> onset, Phoneme nucleus, List<Phoneme> coda, boolean stressed) {
  Syllable {
    onset = List.copyOf(onset);
    coda = List.copyOf(coda);
  }

  /** A bare vowel, as a choir or a hummed tune sings it. */
  static Syllable of(Phoneme vowel, boolean stressed) {
    return new Syllable(List.of(), vowel, List.of(), stressed);
  }

  /** ARPAbet, e.g. {@code S T R IY T}, for logs and tests. */
  @Override
  public String toString() {
    return Stream.of(onset.stream(), Stream.of(nucleus), coda.stream()).flatMap(s -> s).map(Enum::name)
        .collect(Collectors.joining(" ")) + (stressed ? "'" : "");
  }
}
