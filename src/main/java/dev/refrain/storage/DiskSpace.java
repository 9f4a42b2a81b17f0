package dev.refrain.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir's room. New work is refused while less than {@code minFreeBytes} is free (see
 * {@link #problem}), so the database and outputs don't fill the disk themselves; and a ballast file
 * is kept there, to be released when the disk fills anyway (another program, a huge output), so that
 * a task that failed for it can still be recorded as failed. Thread-safe; readings are cached for a
 * second (a check is a statvfs and, at most once a second, one small write).
 */
public final class DiskSpace {
  private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);
  static final long BALLAST_BYTES = 8L << 20;
  private static final long FRESH_NANOS = 1_000_000_000L;

  private final Path dir;
  private final long minFreeBytes;
  private final Path ballast;
  private volatile Reading last;
  private volatile boolean warned;

  private record Reading(long atNanos, Optional<String> problem) {}

  public DiskSpace(Path dir, long minFreeBytes) {
    this.dir = dir;
    this.minFreeBytes = minFreeBytes;
    this.ballast = dir.resolve("ballast");
    refill();
  }

  /** Why new work would not fit ("the data dir is full", "… not writable", "… has less free space than it keeps"), if it would not. */
  public Optional<String> problem() {
    Reading r = last;
    long now = System.nanoTime();
    if (r == null || now - r.atNanos() > FRESH_NANOS) {
      r = new Reading(now, measure());
      last = r;
    }
    return r.problem();
  }

  /** Frees the ballast: called when a write failed for lack of space, before the failure is recorded. */
  public void release() {
    try {
      Files.deleteIfExists(ballast);
    } catch (IOException ignored) {
      // Nothing else to free.
    }
    last = null;
  }

  /** True for the failures of a full disk: ENOSPC on a file, SQLITE_FULL, PostgreSQL's disk_full. */
  public static boolean isFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("SQLITE_FULL") || m.contains("database or disk is full"))) {
        return true;
      }
      if (c instanceof java.sql.SQLException s && ("53100".equals(s.getSQLState()) || s.getErrorCode() == 13)) return true;
    }
    return false;
  }

  private Optional<String> measure() {
    long free;
    try {
      free = Files.getFileStore(dir).getUsableSpace();
      Path probe = dir.resolve(".write-probe");
      try (RandomAccessFile f = new RandomAccessFile(probe.toFile(), "rw")) {
        f.write(new byte[4096]);
        f.getFD().sync();
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException e) {
      warnOnce("the data dir {} is not writable: {}", dir, e.getMessage());
      return Optional.of(isFull(e) ? "the data dir is full" : "the data dir is not writable");
    }
    // Once released, the ballast's room is kept for it: new work waits until it is back in place.
    if (free < minFreeBytes || !Files.exists(ballast) && !refill()) {
      warnOnce("the data dir {} has {} MB free; it keeps {} MB free and {} MB of ballast: new work is refused",
          dir, free >> 20, minFreeBytes >> 20, BALLAST_BYTES >> 20);
      return Optional.of("the data dir has less free space than it keeps (" + ((minFreeBytes + BALLAST_BYTES) >> 20) + " MB)");
    }
    if (warned) log.info("the data dir {} has room again ({} MB free)", dir, free >> 20);
    warned = false;
    return Optional.empty();
  }

  /** Logs a problem when it begins, not at every reading while it lasts. */
  private void warnOnce(String format, Object... args) {
    if (!warned) log.warn(format, args);
    warned = true;
  }

  /** Puts the ballast back when there is room for it and the free minimum; true when it is in place. */
  private boolean refill() {
    try {
      if (Files.exists(ballast)) return true;
      if (Files.getFileStore(dir).getUsableSpace() < minFreeBytes + BALLAST_BYTES) return false;
      Path part = dir.resolve("ballast.part");
      try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
        f.write(new byte[(int) BALLAST_BYTES]); // written, not sparse: it must really hold the blocks
      }
      Files.move(part, ballast);
      return true;
    } catch (IOException e) {
      return false; // no room for it yet; the next reading tries again
    }
  }
}
