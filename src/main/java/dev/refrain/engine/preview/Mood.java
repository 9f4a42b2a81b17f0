package dev.refrain.engine.preview;

import java.util.List;

/**
 * What a mood word does to a style: pushes the tempo within the genre's range, leans to major or
 * minor, adds or takes energy, and names the genre to use when the prompt names none.
 *
 * @param tempo -1 toward the slow end of the range, +1 toward the fast end, 0 neither
 * @param mode -1 major, +1 minor, 0 no lean
 * @param color an instrument the mood brings along, or null
 */
record Mood(String name, List<String> words, int tempo, int mode, double energy, String genre, Part color) {

  static final List<Mood> TABLE = List.of(
      new Mood("happy", List.of("happy", "joyful", "cheerful", "sunny", "fun", "playful"), 1, -1, 0.1, "pop", null),
      new Mood("sad", List.of("sad", "sorrowful", "heartbreak", "heartbroken", "lonely", "tearful"), -1, 1, -0.2, "ballad", null),
      new Mood("dark", List.of("dark", "sinister", "ominous", "gloomy", "haunting", "eerie", "moody"), 0, 1, 0, "cinematic", null),
      new Mood("epic", List.of("epic", "heroic", "majestic", "grand", "triumphant", "anthemic"), 0, 0, 0.2, "cinematic", Part.STRINGS),
      new Mood("chill", List.of("chill", "chilled", "laid back", "laidback", "mellow", "smooth", "lounge"), -1, 0, -0.2, "lo-fi", null),
      new Mood("romantic", List.of("romantic", "love", "tender", "sensual", "intimate"), -1, -1, -0.1, "ballad", Part.STRINGS),
      new Mood("energetic", List.of("energetic", "upbeat", "lively", "driving", "hype", "party", "powerful"), 1, 0, 0.25, "edm", null),
      new Mood("calm", List.of("calm", "peaceful", "relaxing", "relaxed", "serene", "soothing", "gentle", "soft", "quiet"), -1, -1, -0.3, "ambient", null),
      new Mood("dreamy", List.of("dreamy", "ethereal", "floating", "spacey", "hazy", "lush"), -1, 0, -0.2, "ambient", Part.PAD),
      new Mood("aggressive", List.of("aggressive", "angry", "intense", "brutal", "furious", "heavy", "hard"), 1, 1, 0.3, "metal", null),
      new Mood("melancholic", List.of("melancholic", "melancholy", "somber", "sombre", "bittersweet", "wistful", "minor"), -1, 1, -0.1, "ballad", null),
      new Mood("uplifting", List.of("uplifting", "hopeful", "inspiring", "inspirational", "bright", "euphoric", "major"), 0, -1, 0.15, "pop", null),
      new Mood("mysterious", List.of("mysterious", "mystical", "suspense", "suspenseful", "tense"), 0, 1, -0.1, "cinematic", Part.BELLS),
      new Mood("nostalgic", List.of("nostalgic", "retro", "vintage", "nostalgia"), 0, 0, 0, "synthwave", null),
      new Mood("groovy", List.of("groovy", "grooving", "bouncy"), 0, 0, 0.15, "funk", null),
      new Mood("slow", List.of("slow", "slower", "downtempo", "sleepy", "lazy"), -1, 0, -0.15, "ballad", null),
      new Mood("fast", List.of("fast", "faster", "quick", "rapid", "frantic", "uptempo"), 1, 0, 0.2, "rock", null));
}
