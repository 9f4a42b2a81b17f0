package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class TempoTest {
  private static final int RATE = 44100;

  static List<Double> tempos() {
    List<Double> bpms = new ArrayList<>();
    for (int b = 60; b <= 180; b += 10) bpms.add((double) b);
    bpms.addAll(List.of(97.5, 143.3, 123.7, 66.6));
    return bpms;
  }

  @Test
  void clickTracksTempoAndPhase() {
    double worstBpm = 0, worstPhase = 0;
    for (double bpm : tempos()) {
      double offset = 0.05 + (bpm * 7.3 % 1) * 0.4; // varied first beat
      Analysis a = Analysis.of(Signals.clicks(bpm, 24, RATE, offset, 0));
      double beat = 60 / bpm, phaseErr = (a.firstBeatSeconds() - offset) % beat;
      if (phaseErr > beat / 2) phaseErr -= beat;
      if (phaseErr < -beat / 2) phaseErr += beat;
      System.out.printf("clicks %6.1f -> %7.2f (err %+.2f)  phase err %+6.1f ms%n", bpm, a.bpm(), a.bpm() - bpm, phaseErr * 1000);
      worstBpm = Math.max(worstBpm, Math.abs(a.bpm() - bpm));
      worstPhase = Math.max(worstPhase, Math.abs(phaseErr));
    }
    System.out.printf("clicks: worst tempo error %.3f BPM, worst phase error %.1f ms%n", worstBpm, worstPhase * 1000);
    assertThat(worstBpm).isLessThanOrEqualTo(1.0);
    assertThat(worstPhase).isLessThanOrEqualTo(0.025);
  }

  @Test
  void drumTracksTempo() {
    double worst = 0;
    for (double bpm : tempos()) {
      Analysis a = Analysis.of(Signals.drums(bpm, 26, RATE, 2, 0.3, (long) (bpm * 10)));
      System.out.printf("drums  %6.1f -> %7.2f (err %+.2f)  meter %d%n", bpm, a.bpm(), a.bpm() - bpm, a.beatsPerBar());
      worst = Math.max(worst, Math.abs(a.bpm() - bpm));
    }
    System.out.printf("drums: worst tempo error %.3f BPM%n", worst);
    assertThat(worst).isLessThanOrEqualTo(1.0);
  }
}
