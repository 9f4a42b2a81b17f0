package dev.refrain.engine.preview;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one sung note carries: the consonants that lead into it, the vowel it is held on, the
 * consonants that close it, whether the word leans on it, and the sound the line goes on to (null
 * at a line's end), which a singer's mouth is already moving toward as the note ends.
 */
record Syllable(List<Phoneme> onset, Phoneme nucleus, List<Phoneme> coda, boolean stressed, Phoneme next) {
  Syllable {
    onset = List.copyOf(onset);
    coda = List.copyOf(coda);
  }

  Syllable(List<Phoneme> onset, Phoneme nucleus, List<Phoneme> coda, boolean stressed) {
    this(onset, nucleus, coda, stressed, null);
  }

  /** This syllable followed, in its line, by that one. */
  Syllable before(Syllable following) {
    return new Syllable(onset, nucleus, coda, stressed, following.onset.isEmpty() ? following.nucleus : following.onset.getFirst());
  }

  /** The breath a singer takes before a line: sung as {@link Breath}, told apart by identity. */
  static final Syllable BREATH = new Syllable(List.of(Phoneme.HH), Phoneme.AH, List.of(), false);

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
