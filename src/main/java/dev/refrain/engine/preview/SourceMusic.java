package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What the composer takes over from an input it re-performs: edit takes its chords, its tune (the
 * singer's notes), its bass line and its kick and snare; audio2audio its chords and bass line; the
 * other tasks nothing. Times are seconds from the piece's start. Keeps a tally of what was taken,
 * for the task's log; one per composition.
 */
final class SourceMusic {
  final List<Analysis.BarChord> chords;
  final List<Analysis.Note> melody;
  final List<Analysis.Note> bass;
  final List<Analysis.DrumBar> drums;
  /** The notes sung (or played as the tune) on the input's melody, bass notes moved onto its line, bars drummed to its kick and snare. */
  int melodyTaken;
  int bassTaken;
  int drumBarsTaken;

  SourceMusic(List<Analysis.BarChord> chords, List<Analysis.Note> melody, List<Analysis.Note> bass, List<Analysis.DrumBar> drums) {
    this.chords = List.copyOf(chords);
    this.melody = List.copyOf(melody);
    this.bass = List.copyOf(bass);
    this.drums = List.copyOf(drums);
  }

  /** Nothing to follow: the composer writes its own. */
  static SourceMusic none() {
    return new SourceMusic(List.of(), List.of(), List.of(), List.of());
  }

  static SourceMusic edit(Analysis a) {
    return new SourceMusic(a.chords(), a.melody(), a.bass(), a.drums());
  }

  static SourceMusic audio2audio(Analysis a) {
    return new SourceMusic(a.chords(), List.of(), a.bass(), List.of());
  }

  /** The melody note sounding at {@code seconds}, or null. */
  Analysis.Note melodyAt(double seconds) {
    return at(melody, seconds);
  }

  /** The bass note sounding at {@code seconds}, or null. */
  Analysis.Note bassAt(double seconds) {
    return at(bass, seconds);
  }

  /** The input's drum bar begun at {@code seconds} (within half a sixteenth), or null. */
  Analysis.DrumBar drumBarAt(double seconds, double beatSeconds) {
    double slack = beatSeconds / 8;
    int i = firstFrom(drums, Analysis.DrumBar::seconds, Math.nextUp(seconds + slack)) - 1;
    return i >= 0 && Math.abs(drums.get(i).seconds() - seconds) <= slack ? drums.get(i) : null;
  }

  /** The notes whose onsets lie in [from, to) seconds, in order. */
  List<Analysis.Note> melodyStarting(double from, double to) {
    int first = firstFrom(melody, Analysis.Note::seconds, from);
    int end = firstFrom(melody, Analysis.Note::seconds, to);
    return melody.subList(first, Math.max(first, end));
  }

  /** Binary search: the last note begun by {@code seconds}, if it still sounds. */
  private static Analysis.Note at(List<Analysis.Note> notes, double seconds) {
    int i = firstFrom(notes, Analysis.Note::seconds, seconds + 1e-9) - 1;
    if (i < 0) return null;
    Analysis.Note n = notes.get(i);
    return seconds < n.seconds() + n.duration() ? n : null;
  }

  /** Binary search over items in time order: the index of the first starting at or after {@code seconds}. */
  private static <T> int firstFrom(List<T> items, ToDoubleFunction<T> start, double seconds) {
    int lo = 0, hi = items.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (start.applyAsDouble(items.get(mid)) < seconds) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
