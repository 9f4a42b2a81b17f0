package dev.refrain.task;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New task ids: UUIDs of version 7 (RFC 9562), the creation millisecond in the high 48 bits and 74
 * random bits. They are ordered by time, so each insert into the tasks' primary-key index lands at
 * its end, on a page the previous insert already dirtied. A random (version 4) id put every new task
 * on a page of its own, which every commit then wrote whole to the WAL (SQLite) or after each
 * checkpoint as a full-page image (PostgreSQL). The random bits still make an id unguessable.
 */
final class TaskIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TaskIds() {}

  static String next() {
    return next(System.currentTimeMillis());
  }

  static String next(long epochMillis) {
    byte[] r = new byte[10];
    RANDOM.nextBytes(r);
    long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
    long low = 0x8000_0000_0000_0000L | ((r[2] & 0x3FL) << 56);
    for (int i = 3; i < 10; i++) low |= (r[i] & 0xFFL) << (8 * (9 - i));
    return new UUID(high, low).toString();
  }
}
