package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.PcmStream;
import dev.refrain.core.TaskInput;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.preview.PreviewEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Whether a long song develops or loops: a 240 s song with three verses, a bridge and a chorus that
 * comes back, as 8-bar spans starting at every bar, each span's log spectrogram (48 bands, each
 * band's mean over the song taken out, so the band's fixed timbre does not count) correlated with
 * every span it does not overlap. Goal: no two spans above 0.9 unless they cross the same lyric
 * sections, as the task's "form" log line labels them.
 */
final class LongForm {
  private static final String PROMPT = "pop rock with drums, bass, electric guitar, piano, strings and vocals";
  private static final String LYRICS = """
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      [verse]
      Morning comes and finds me on my own
      Hold my hand and follow me home
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      [bridge]
      The river runs beneath the bridge
      Green fields are waiting in the valley
      [verse]
      We danced until the city slept
      Nothing ever stays the same
      [chorus]
      Sing it loud, sing it clear
      Everybody's here""";
  private static final int SECONDS = 240;
  private static final int BANDS = 48;
  private static final double GOAL = 0.9;
  private static final Pattern FORM = Pattern.compile("([a-z-]+(?: \\d+)?) (\\d+):(\\d\\d)");
  private static final Pattern TEMPO = Pattern.compile("(\\d+(?:\\.\\d+)?) bpm, (\\d+)/(\\d+)");

  private LongForm() {}

  private record Section(String label, double start) {}

  static void run(PreviewEngine engine) throws Exception {
    System.out.printf("%nLong form: a %d s song, 8-bar spans, log-spectrogram correlation between spans (goal: none above %.1f unless the same lyric section)%n",
        SECONDS, GOAL);
    List<String> logs = new ArrayList<>();
    TaskInput input = new TaskInput.Txt2Audio(PROMPT, LYRICS, SECONDS, "", null, null, 7L, null, null, null);
    AudioClip clip = PcmStream.readAll(((EngineOutput.Stream) engine.render(new EngineJob("form", input, 7L, null, null), new Listening(logs))).pcm());
    List<Section> form = new ArrayList<>();
    double bpm = 0;
    int beatsPerBar = 4;
    for (String line : logs) {
      if (line.startsWith("form: ")) {
        Matcher m = FORM.matcher(line.substring(6));
        while (m.find()) form.add(new Section(m.group(1), 60.0 * Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3))));
      }
      Matcher t = TEMPO.matcher(line);
      if (bpm == 0 && t.find()) {
        bpm = Double.parseDouble(t.group(1));
        beatsPerBar = Integer.parseInt(t.group(2));
      }
    }
    if (form.isEmpty() || bpm == 0) {
      System.out.println("skipped: the task's logs gave no form or tempo: " + logs);
      return;
    }
    System.out.println("form: " + logs.stream().filter(l -> l.startsWith("form: ")).findFirst().orElse("").substring(6));
    float[] mono = PreviewBench.mono(clip);
    int rate = clip.sampleRate();
    int hop = 2048;
    double[][] spectrogram = spectrogram(mono, rate, hop);
    double barSeconds = beatsPerBar * 60 / bpm;
    int spanFrames = (int) (8 * barSeconds * rate / hop);
    int bars = (int) (mono.length / (barSeconds * rate));
    // A span starts at every bar; two spans are the same lyric section when the sections they cross are the same, in order.
    List<List<String>> crossed = new ArrayList<>();
    for (int bar = 0; bar + 8 <= bars; bar++) crossed.add(crossed(form, bar * barSeconds, (bar + 8) * barSeconds));
    List<Double> all = new ArrayList<>();
    double worstOther = -1;
    String worstPair = "";
    int over = 0, overSame = 0;
    for (int i = 0; i < crossed.size(); i++) {
      for (int j = i + 8; j < crossed.size(); j++) {
        double r = correlation(spectrogram, (int) (i * barSeconds * rate / hop), (int) (j * barSeconds * rate / hop), spanFrames);
        all.add(r);
        boolean same = crossed.get(i).equals(crossed.get(j));
        if (r > GOAL) {
          if (same) overSame++;
          else over++;
        }
        if (!same && r > worstOther) {
          worstOther = r;
          worstPair = String.format(Locale.ROOT, "bars %d-%d %s and bars %d-%d %s", i + 1, i + 8, crossed.get(i), j + 1, j + 8, crossed.get(j));
        }
      }
    }
    all.sort(null);
    System.out.printf(Locale.ROOT, "%d bars of %.2f s (%.0f bpm, %d/4): %d spans of 8 bars, one from every bar; %d pairs that do not overlap%n",
        bars, barSeconds, bpm, beatsPerBar, crossed.size(), all.size());
    System.out.printf(Locale.ROOT, "median %.2f, 99th percentile %.2f; above %.1f: %d pairs of the same sections, %d of different ones (goal 0: %s)%n",
        all.get(all.size() / 2), all.get((int) (0.99 * (all.size() - 1))), GOAL, overSame, over, over == 0 ? "met" : "missed");
    System.out.printf(Locale.ROOT, "most alike of different sections: %.2f, %s%n", worstOther, worstPair);
    // The control: the song's first 40 bars played twice, as a loop would, scored the same way.
    int loop = (int) Math.round(40 * barSeconds * rate);
    float[] looped = new float[2 * loop];
    System.arraycopy(mono, 0, looped, 0, loop);
    System.arraycopy(mono, 0, looped, loop, loop);
    double[][] twice = spectrogram(looped, rate, hop);
    double repeat = 0;
    for (int bar = 0; bar + 8 <= 40; bar++) {
      repeat += correlation(twice, (int) (bar * barSeconds * rate / hop), (int) ((bar + 40) * barSeconds * rate / hop), spanFrames);
    }
    System.out.printf(Locale.ROOT, "control: the first 40 bars looped score %.2f (mean) against their repeat%n", repeat / 33);
    System.out.printf(Locale.ROOT, "RESULT form_median=%.3f form_max_other=%.3f form_over_other=%d form_over_same=%d%n",
        all.get(all.size() / 2), worstOther, over, overSame);
  }

  /** The sections playing between two times, in order. */
  private static List<String> crossed(List<Section> form, double from, double to) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < form.size(); i++) {
      double end = i + 1 < form.size() ? form.get(i + 1).start() : Double.MAX_VALUE;
      // A section counts once it holds a bar's worth of the span, so a boundary a second off is not a new section.
      if (Math.min(end, to) - Math.max(form.get(i).start(), from) > 1) out.add(form.get(i).label());
    }
    return out;
  }

  /** Log energy in {@link #BANDS} bands spaced evenly in pitch from 60 Hz to 12 kHz, each band's mean over the song removed. */
  private static double[][] spectrogram(float[] x, int rate, int hop) {
    int n = 2 * hop;
    int frames = Math.max(0, (x.length - n) / hop + 1);
    double[][] out = new double[frames][BANDS];
    FloatFFT_1D fft = new FloatFFT_1D(n);
    float[] frame = new float[n];
    for (int f = 0; f < frames; f++) {
      System.arraycopy(x, f * hop, frame, 0, n);
      for (int i = 0; i < n; i++) frame[i] *= (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
      fft.realForward(frame);
      for (int k = 1; k < n / 2; k++) {
        double hz = k * (double) rate / n;
        if (hz < 60 || hz >= 12_000) continue;
        int band = (int) (BANDS * Math.log(hz / 60) / Math.log(12_000 / 60.0));
        out[f][band] += frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
      }
      for (int b = 0; b < BANDS; b++) out[f][b] = 10 * Math.log10(out[f][b] + 1e-10);
    }
    for (int b = 0; b < BANDS; b++) {
      double mean = 0;
      for (double[] row : out) mean += row[b];
      mean /= Math.max(1, frames);
      for (double[] row : out) row[b] -= mean;
    }
    return out;
  }

  /** Pearson correlation of two spans of the spectrogram, frame by frame and band by band. */
  private static double correlation(double[][] s, int a, int b, int frames) {
    int n = Math.min(frames, Math.min(s.length - a, s.length - b));
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    int count = 0;
    for (int f = 0; f < n; f++) {
      for (int k = 0; k < BANDS; k++) {
        double x = s[a + f][k], y = s[b + f][k];
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
        count++;
      }
    }
    double cov = sab / count - sa / count * sb / count;
    double va = saa / count - sa / count * sa / count, vb = sbb / count - sb / count * sb / count;
    return cov / Math.sqrt(Math.max(va * vb, 1e-30));
  }

  /** Keeps the task's log lines, where the form is reported. */
  private record Listening(List<String> lines) implements EngineContext {
    @Override
    public void progress(double fraction, String stage) {}

    @Override
    public void log(String line) {
      lines.add(line);
    }

    @Override
    public boolean cancelled() {
      return false;
    }
  }
}
