package dev.refrain.store;

import java.time.Instant;

/** Microsecond timestamps, the unit every time column uses. */
public final class Clock {
  private Clock() {}

  public static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
