package dev.refrain.engine.preview;

import java.util.List;
import java.util.Set;

/** How much a prompt asks to move: it picks the tempo range and the rhythm patterns. */
enum Feel {
  CALM(68, 84),
  STEADY(92, 116),
  DRIVING(122, 138);

  private static final Set<String> CALM_WORDS = Set.of(
      "slow", "ambient", "chill", "calm", "relaxing", "relaxed", "lofi", "ballad", "downtempo",
      "sleepy", "meditation", "meditative", "gentle", "soft", "peaceful", "dreamy");
  private static final Set<String> DRIVING_WORDS = Set.of(
      "fast", "dance", "edm", "rock", "energetic", "upbeat", "techno", "house", "punk", "metal",
      "trance", "dnb", "club", "disco", "hardcore", "aggressive", "intense");

  private final int slowest;
  private final int fastest;

  Feel(int slowest, int fastest) {
    this.slowest = slowest;
    this.fastest = fastest;
  }

  /** The side with more words wins; a tie or no words at all is steady. */
  static Feel of(List<String> words) {
    int score = 0;
    for (String w : words) {
      if (CALM_WORDS.contains(w)) score--;
      if (DRIVING_WORDS.contains(w)) score++;
    }
    return score < 0 ? CALM : score > 0 ? DRIVING : STEADY;
  }

  /** A whole-number tempo in this feel's range; draw in [0, 1) comes from the seed. */
  double tempo(double draw) {
    return Math.round(slowest + (fastest - slowest) * draw);
  }
}
