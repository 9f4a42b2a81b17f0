package dev.refrain.billing;

import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;

/**
 * What a task costs, in units ({@link Money}): a price per generated second. The hold
 * taken at create is an upper bound of the final charge, so a settled task never costs more than
 * was held and balances never go negative.
 */
public final class Pricing {
  private final java.util.Map<String, Long> unitsPerSecond;
  private final int maxDurationSeconds;

  /** @param unitsPerSecond price per generated second, by task type wire name */
  public Pricing(java.util.Map<String, Long> unitsPerSecond, int maxDurationSeconds) {
    this.unitsPerSecond = unitsPerSecond;
    this.maxDurationSeconds = maxDurationSeconds;
  }

  /**
   * The hold at create. txt2audio and extend know their generated length up front; audio2audio
   * and edit produce the input's length, unknown until it is fetched, so they hold the ceiling.
   */
  public long estimate(TaskInput input) {
    return switch (input) {
      case TaskInput.Txt2Audio t -> units(t.type(), t.duration());
      case TaskInput.Extend e -> units(e.type(), e.leftExtendDuration() + e.rightExtendDuration());
      case TaskInput.Audio2Audio a -> units(a.type(), maxDurationSeconds);
      case TaskInput.Edit e -> units(e.type(), maxDurationSeconds);
    };
  }

  /** The charge for a finished task: generated seconds (for extend, the added seconds only). */
  public long charge(TaskType type, double outputSeconds, double sourceSeconds) {
    double generated = type == TaskType.EXTEND ? outputSeconds - sourceSeconds : outputSeconds;
    return units(type, Math.max(0, generated));
  }

  private long units(TaskType type, double seconds) {
    return Math.round(seconds * unitsPerSecond.get(type.wire()));
  }
}
