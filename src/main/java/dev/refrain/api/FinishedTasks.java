package dev.refrain.api;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered JSON of finished tasks. A completed or failed task never changes again, so clients
 * polling it (or re-reading it later) are answered without the database. Each entry is as read
 * under one base URL (its audio_url's); a reader by another base renders it anew. Bounded: past
 * the cap, arbitrary entries make room.
 */
final class FinishedTasks {
  private record Entry(String keyId, String base, byte[] json) {}

  private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
  private final int max;

  FinishedTasks(int max) {
    this.max = max;
  }

  /** The task's JSON if cached, owned by {@code keyId} and made under {@code base}; null otherwise. */
  byte[] get(String taskId, String keyId, String base) {
    Entry e = byId.get(taskId);
    return e != null && e.keyId.equals(keyId) && e.base.equals(base) ? e.json : null;
  }

  void put(String taskId, String keyId, String base, byte[] json) {
    if (byId.size() >= max) {
      Iterator<String> it = byId.keySet().iterator();
      for (int i = 0; i < max / 10 && it.hasNext(); i++) {
        it.next();
        it.remove();
      }
    }
    byId.put(taskId, new Entry(keyId, base, json));
  }
}
