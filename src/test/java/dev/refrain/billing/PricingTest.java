package dev.refrain.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.config.Config;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {
  static final String URL = "http://example.com/a.mp3";
  final Pricing defaults = new Pricing(Config.fromMap(Map.of()).unitsPerSecond(), 240);

  @Test
  void holdsAnUpperBoundOfTheCharge() {
    assertThat(defaults.estimate(new TaskInput.Txt2Audio("pop", "[inst]", 30, "", null, null, null, null, null, null)))
        .isEqualTo(150_000);
    assertThat(defaults.estimate(new TaskInput.Extend(URL, 5, 10, "pop", "[inst]", "", null, null, null, null, null)))
        .isEqualTo(75_000);
    // audio2audio and edit produce the input's length, unknown at create: the ceiling is held.
    assertThat(defaults.estimate(new TaskInput.Edit(URL, "pop", "[inst]", "rock", "[inst]", null, null, null, null, null)))
        .isEqualTo(1_200_000);
    assertThat(defaults.estimate(new TaskInput.Audio2Audio(URL, "pop", "[inst]", "", null, null, null, null, null, null)))
        .isEqualTo(1_200_000);
  }

  @Test
  void chargesGeneratedSecondsAndForExtendOnlyTheAddedOnes() {
    assertThat(defaults.charge(TaskType.TXT2AUDIO, 84.2, 0)).isEqualTo(421_000);
    assertThat(defaults.charge(TaskType.EDIT, 84.2, 84.2)).isEqualTo(421_000);
    assertThat(defaults.charge(TaskType.EXTEND, 30.5, 20.5)).isEqualTo(50_000);
  }

  @Test
  void pricesCanDifferPerTaskType() {
    Pricing p = new Pricing(Config.fromMap(Map.of("REFRAIN_UNITS_PER_SECOND", "1000", "REFRAIN_UNITS_PER_SECOND_EXTEND", "3000"))
        .unitsPerSecond(), 240);
    assertThat(p.charge(TaskType.TXT2AUDIO, 10, 0)).isEqualTo(10_000);
    assertThat(p.charge(TaskType.EXTEND, 20, 10)).isEqualTo(30_000);
  }
}
