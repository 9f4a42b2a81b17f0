package dev.refrain.audio;

import java.util.List;

/**
 * What the preview engine needs to know about an input: its beat grid (tempo, a beat, the meter
 * and a downbeat), its key, its loudness and true peak, where its sections start, and how bright it
 * sounds; and what is played: its melody and bass line (pitch tracking) and where its kick and snare
 * fall.
 *
 * @param bpm               steady tempo, about 60–185
 * @param firstBeatSeconds  the first beat of the grid at or after 0 (the grid is firstBeat + k × 60 / bpm)
 * @param downbeatSeconds   the first grid beat at or after 0 that starts a bar
 * @param tonic             0 = C … 11 = B
 * @param keyConfidence     correlation of the track's chroma with the chosen key profile, −1..1
 * @param sectionStarts     seconds, ascending, first 0.0, the rest on beats
 * @param centroidHz        spectral centroid of the average magnitude spectrum (timbre: higher is
 *                          brighter), measured up to about 11 kHz; NaN for silence
 * @param chords            the chord of each bar that sounds, in order (see {@link ChordTrack})
 * @param melody            the predominant melody's notes, in order (see {@link MelodyTrack})
 * @param bass              the bass line's notes on the half-beat grid, in order (see {@link BassTrack})
 * @param drums             each bar's kick and snare on its sixteenths (see {@link DrumOnsets})
 */
public record Analysis(double bpm, double firstBeatSeconds, int beatsPerBar, double downbeatSeconds,
    int tonic, boolean minor, double keyConfidence, double loudnessLufs, double truePeakDbtp,
    List<Double> sectionStarts, double centroidHz, List<BarChord> chords, List<Note> melody, List<Note> bass, List<DrumBar> drums) {
  /**
   * A bar's chord: a major or minor triad on {@code root} (0 = C), from {@code seconds} until the
   * next; {@code profile} is the bar's pitch-class profile it was heard from (C first, summing to 1).
   */
  public record BarChord(double seconds, int root, boolean minor, float[] profile) {}

  /** A pitched note heard: from {@code seconds} for {@code duration}, at MIDI note {@code midi} (60 = middle C). */
  public record Note(double seconds, double duration, int midi) {}

  /**
   * A bar's drums from {@code seconds}: bit i of {@code kick} (of {@code snare}) set when a kick (a
   * snare) plays on its i-th sixteenth, of {@code steps}.
   */
  public record DrumBar(double seconds, int steps, long kick, long snare) {
    public boolean kickAt(int step) {
      return (kick >>> step & 1) != 0;
    }

    public boolean snareAt(int step) {
      return (snare >>> step & 1) != 0;
    }
  }

  /** Analysis works on a mono downmix at about this rate: enough for pitch and onsets, half the work of 44.1 kHz. */
  private static final int ANALYSIS_RATE = 22050;
  /**
   * How much earlier an onset peaks in the flux envelope than it sounds, in hops, measured on
   * clicks: log power rises most as the sound enters a frame's window, about a hop before its centre.
   */
  private static final double ONSET_LEAD_HOPS = 0.9;

  public Analysis {
    sectionStarts = List.copyOf(sectionStarts);
    chords = List.copyOf(chords);
    melody = List.copyOf(melody);
    bass = List.copyOf(bass);
    drums = List.copyOf(drums);
  }

  public static Analysis of(AudioClip clip) {
    double lufs = Loudness.integrated(clip), peak = TruePeak.of(clip);
    int rate = clip.sampleRate();
    float[] mono = downmix(clip);
    if (rate > ANALYSIS_RATE * 1.1) {
      mono = Resampler.resample(new AudioClip(rate, new float[][] {mono}), ANALYSIS_RATE).channels()[0];
      rate = ANALYSIS_RATE;
    }
    double duration = clip.seconds();

    Onsets onsets = Onsets.of(mono, rate);
    Tempo.Grid grid = Tempo.estimate(onsets.strength, onsets.frameRate);
    double beat = grid.period() / onsets.frameRate;
    double anchor = (grid.phase() + ONSET_LEAD_HOPS) / onsets.frameRate; // a beat, in seconds
    double first = floorMod(anchor, beat);
    Meter.Bar bar = Meter.estimate(onsets, grid.period(), grid.phase());
    double downbeat = floorMod(anchor + bar.first() * beat, bar.beatsPerBar() * beat);

    Chroma chroma = Chroma.of(mono, rate);
    double[] profile = new double[12];
    for (int n = 0; n < chroma.frames; n++) {
      for (int c = 0; c < 12; c++) profile[c] += chroma.chroma[n * 12 + c];
    }
    KeyFinder.Key key = KeyFinder.of(profile);
    List<Double> sections = Novelty.sections(chroma, rate, first, beat, duration);
    Salience salience = Salience.of(mono, rate);
    return new Analysis(60 / beat, first, bar.beatsPerBar(), downbeat, key.tonic(), key.minor(), key.confidence(), lufs, peak, sections,
        Centroid.of(mono, rate), ChordTrack.of(chroma, rate, downbeat, bar.beatsPerBar() * beat, duration), MelodyTrack.of(salience),
        BassTrack.of(salience, first, beat, duration), DrumOnsets.of(onsets, downbeat, beat, bar.beatsPerBar(), duration));
  }

  private static double floorMod(double x, double m) {
    double r = x % m;
    return r < 0 ? r + m : r;
  }

  private static float[] downmix(AudioClip clip) {
    float[][] ch = clip.channels();
    if (ch.length == 1) return ch[0];
    float[] mono = new float[clip.frames()];
    float scale = 1f / ch.length;
    for (float[] c : ch) {
      for (int i = 0; i < mono.length; i++) mono[i] += c[i] * scale;
    }
    return mono;
  }
}
