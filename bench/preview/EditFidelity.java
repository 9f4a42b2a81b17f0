package dev.refrain.bench.preview;

import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.PcmStream;
import dev.refrain.core.TaskInput;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.preview.PreviewEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Whether edit and audio2audio keep the input's music while changing its style: beat alignment (the
 * share of the output's beats within 70 ms of one of the input's), per-bar chroma correlation (the
 * output's pitch-class profile at each of the input's bars against the input's), and how far apart
 * their long-term spectra are (mean absolute difference over third-octave bands, levels matched).
 * Goals: beats ≥ 90 %, chroma ≥ 0.6 per bar (here: the median and the share of bars), spectra ≥ 6 dB
 * apart when the style asks for another genre.
 */
final class EditFidelity {
  private static final String LYRICS = "[verse]\nWalking down the empty street tonight\nEvery window holds a little light\n"
      + "[chorus]\nSing it loud, sing it clear\nEverybody's here\n";
  private static final double BEAT_TOLERANCE = 0.07;

  private record Case(String source, String type, String style) {}

  private static final List<Case> CASES = List.of(
      new Case("pop rock with drums, bass, electric guitar, piano and vocals, 112 bpm", "edit", "bossa nova, nylon guitar, flute"),
      new Case("pop rock with drums, bass, electric guitar, piano and vocals, 112 bpm", "audio2audio", "ambient, pads and bells"),
      new Case("piano ballad with strings, 72 bpm", "edit", "funk, slap bass, clavinet, brass"),
      new Case("piano ballad with strings, 72 bpm", "audio2audio", "drum and bass, dark synth pads"));

  private EditFidelity() {}

  static void run(PreviewEngine engine) throws Exception {
    System.out.printf("%nEdit fidelity: 60 s inputs rendered by the engine, then edited or re-styled (goals: beats ≥ 90 %%, "
        + "chroma ≥ 0.6 per bar, spectra ≥ 6 dB apart)%n");
    System.out.printf("%-26s %-12s %-34s %8s %14s %12s %10s%n", "input", "task", "style", "beats", "chroma median", "bars ≥ 0.6",
        "spectrum");
    double worstBeats = 1, worstChroma = 1, worstSpectrum = Double.MAX_VALUE;
    for (Case c : CASES) {
      AudioClip source = render(engine, new TaskInput.Txt2Audio(c.source(), LYRICS, 60, "", null, null, 5L, null, null, null), null);
      TaskInput input = c.type().equals("edit")
          ? new TaskInput.Edit("http://bench/source.wav", c.source(), LYRICS, c.style(), LYRICS, 9L, null, null, null, null)
          : new TaskInput.Audio2Audio("http://bench/source.wav", c.style(), LYRICS, "", null, 9L, null, null, null, null);
      AudioClip out = render(engine, input, source);
      Analysis a = Analysis.of(source), b = Analysis.of(out);
      double beats = beatAlignment(a, b);
      double[] chroma = chromaCorrelation(a, b);
      double spectrum = spectrumDistance(source, out);
      worstBeats = Math.min(worstBeats, beats);
      worstChroma = Math.min(worstChroma, chroma[0]);
      worstSpectrum = Math.min(worstSpectrum, spectrum);
      System.out.printf(Locale.ROOT, "%-26s %-12s %-34s %7.0f%% %14.2f %11.0f%% %7.1f dB%n", cut(c.source(), 26), c.type(),
          cut(c.style(), 34), 100 * beats, chroma[0], 100 * chroma[1], spectrum);
    }
    System.out.printf(Locale.ROOT, "worst: beats %.0f%% (%s), chroma median %.2f (%s), spectrum %.1f dB (%s)%n", 100 * worstBeats,
        worstBeats >= 0.9 ? "met" : "missed", worstChroma, worstChroma >= 0.6 ? "met" : "missed", worstSpectrum,
        worstSpectrum >= 6 ? "met" : "missed");
    System.out.printf(Locale.ROOT, "RESULT edit_beats_worst=%.3f edit_chroma_median_worst=%.3f edit_spectrum_db_worst=%.2f%n", worstBeats,
        worstChroma, worstSpectrum);
  }

  private static AudioClip render(PreviewEngine engine, TaskInput input, AudioClip source) throws Exception {
    EngineJob job = new EngineJob("bench", input, 9L, source, null);
    return PcmStream.readAll(((EngineOutput.Stream) engine.render(job, new PreviewBench.Quiet())).pcm());
  }

  /** The share of the output's beats within {@link #BEAT_TOLERANCE} of one of the input's. */
  static double beatAlignment(Analysis input, Analysis output) {
    double period = 60 / input.bpm(), outPeriod = 60 / output.bpm();
    int near = 0, all = 0;
    for (double t = output.firstBeatSeconds(); t < 58; t += outPeriod) {
      double k = Math.round((t - input.firstBeatSeconds()) / period);
      double nearest = input.firstBeatSeconds() + k * period;
      all++;
      if (Math.abs(t - nearest) <= BEAT_TOLERANCE) near++;
    }
    return all == 0 ? 0 : near / (double) all;
  }

  /** Per input bar, Pearson correlation of its pitch-class profile with the output's there: {median, share ≥ 0.6}. */
  static double[] chromaCorrelation(Analysis input, Analysis output) {
    double bar = input.beatsPerBar() * 60 / input.bpm();
    List<Double> r = new ArrayList<>();
    for (Analysis.BarChord c : input.chords()) {
      Analysis.BarChord at = null;
      for (Analysis.BarChord o : output.chords()) {
        if (o.seconds() <= c.seconds() + bar / 2) at = o;
      }
      if (at != null) r.add(pearson(c.profile(), at.profile()));
    }
    if (r.isEmpty()) return new double[] {0, 0};
    double[] sorted = r.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {sorted[sorted.length / 2], Arrays.stream(sorted).filter(x -> x >= 0.6).count() / (double) sorted.length};
  }

  private static double pearson(float[] x, float[] y) {
    double mx = 0, my = 0;
    for (int i = 0; i < 12; i++) {
      mx += x[i] / 12.0;
      my += y[i] / 12.0;
    }
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < 12; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }

  /** Mean absolute difference in dB over third-octave bands (50 Hz to 16 kHz) of the two long-term spectra, each scaled to equal power. */
  static double spectrumDistance(AudioClip a, AudioClip b) {
    double[] x = bands(a), y = bands(b);
    double sum = 0;
    for (int i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
    return sum / x.length;
  }

  private static double[] bands(AudioClip clip) {
    int size = 4096, rate = clip.sampleRate();
    float[] mono = PreviewBench.mono(clip);
    double[] power = new double[size / 2];
    FloatFFT_1D fft = new FloatFFT_1D(size);
    float[] buf = new float[size];
    for (int at = 0; at + size <= mono.length; at += size) {
      for (int i = 0; i < size; i++) buf[i] = (float) (mono[at + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / size)));
      fft.realForward(buf);
      for (int k = 1; k < size / 2; k++) power[k] += buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
    }
    int count = (int) Math.floor(3 * Math.log(16_000 / 50.0) / Math.log(2));
    double[] level = new double[count];
    double total = 0;
    for (int band = 0; band < count; band++) {
      double lo = 50 * Math.pow(2, band / 3.0), hi = lo * Math.pow(2, 1 / 3.0);
      double p = 1e-12;
      for (int k = (int) Math.ceil(lo * size / rate); k < Math.min(size / 2, hi * size / rate); k++) p += power[k];
      level[band] = p;
      total += p;
    }
    for (int band = 0; band < count; band++) level[band] = 10 * Math.log10(level[band] / total);
    return level;
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
