package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.core.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The reference speech as a singer would time it: espeak-ng's own lines with only their vowels held
 * longer (each vowel, as the aligner finds it, stretched by sox's WSOLA {@code tempo -s}, pitch kept),
 * the consonants and pauses as spoken. Singing holds its vowels on the notes, several times their
 * spoken length, and keeps its consonants short; this control tells what that timing alone costs the
 * recogniser, whatever the voice. Held ×1 (cut and joined the same way, nothing stretched) checks that
 * the cutting itself changes nothing.
 */
final class HeldVowels {
  private static final double[] HOLDS = {1, 1.25, 1.5, 2, 3};

  private HeldVowels() {}

  /** For the spoken lines {@code spokenPrefix + i} (16 kHz WAVs in {@code scratch}), prints the WER with vowels held at each hold. */
  static void print(List<String> lines, Path scratch, String spokenPrefix, int spokenErrors, int words) throws Exception {
    PhoneMatch.Grammars grammars = PhoneMatch.grammars(lines, scratch);
    List<List<PhoneMatch.Segment>> segments = PhoneMatch.segments(scratch, spokenPrefix, grammars);
    System.out.println("Control, the reference with only its vowels held longer (consonants as spoken), as singing holds them:");
    System.out.printf("%-10s %12s %8s %8s%n", "vowels", "line length", "WER", "ratio");
    List<AudioClip> spokenLines = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) spokenLines.add(AudioDecoder.decode(Files.readAllBytes(scratch.resolve(spokenPrefix + i + ".wav")), 60));
    StringBuilder result = new StringBuilder("RESULT");
    for (double hold : HOLDS) {
      int errors = 0;
      double before = 0, after = 0;
      for (int i = 0; i < lines.size(); i++) {
        AudioClip spoken = spokenLines.get(i);
        AudioClip held = hold(spoken, segments.get(i), hold, scratch);
        before += spoken.frames();
        after += held.frames();
        Path wav = Files.write(scratch.resolve("held-" + i + ".wav"), AudioEncoder.encode(held, OutputFormat.WAV, 192));
        errors += Intelligibility.distance(Intelligibility.words(lines.get(i)), Intelligibility.words(Intelligibility.transcribe(wav)));
      }
      double wer = errors / (double) words;
      System.out.printf(Locale.ROOT, "held ×%-4.2f %11.2f× %7.1f%% %8.2f%n", hold, after / before, 100 * wer, errors / Math.max(spokenErrors, 1e-9));
      result.append(String.format(Locale.ROOT, " wer_held_%s=%.3f", String.valueOf(hold).replace('.', '_'), wer));
    }
    System.out.println(result);
  }

  /** The clip with each vowel segment stretched by {@code hold}, everything else as it was. */
  private static AudioClip hold(AudioClip clip, List<PhoneMatch.Segment> segments, double hold, Path scratch) throws Exception {
    float[] x = PreviewBench.mono(clip);
    List<float[]> parts = new ArrayList<>();
    int at = 0;
    for (PhoneMatch.Segment s : segments) {
      int from = Math.min(s.from() * PhoneMatch.HOP, x.length), to = Math.min(s.to() * PhoneMatch.HOP, x.length);
      if (from > at) parts.add(Arrays.copyOfRange(x, at, from));
      float[] piece = Arrays.copyOfRange(x, from, to);
      // sox's tempo needs a few of its 82 ms windows to work with; a shorter vowel stays as it is.
      if (s.vowel() && hold != 1 && piece.length > 400) piece = stretch(piece, clip.sampleRate(), hold, scratch);
      parts.add(piece);
      at = to;
    }
    parts.add(Arrays.copyOfRange(x, at, x.length));
    int length = parts.stream().mapToInt(p -> p.length).sum();
    float[] out = new float[length];
    int pos = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return new AudioClip(clip.sampleRate(), new float[][] {out});
  }

  private static float[] stretch(float[] piece, int rate, double hold, Path scratch) throws Exception {
    Path in = Files.write(scratch.resolve("vowel.wav"), AudioEncoder.encode(new AudioClip(rate, new float[][] {piece}), OutputFormat.WAV, 192));
    Path out = scratch.resolve("vowel-held.wav");
    Intelligibility.exec(List.of("sox", in.toString(), out.toString(), "tempo", "-s", String.format(Locale.ROOT, "%.4f", 1 / hold)));
    return PreviewBench.mono(AudioDecoder.decode(Files.readAllBytes(out), 60));
  }
}
