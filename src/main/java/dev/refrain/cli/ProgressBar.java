package dev.refrain.cli;

import dev.refrain.client.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A wait's progress on stderr: percentage, stage and elapsed time. On a terminal one line is
 * redrawn in place (and ticks every second); otherwise, as in a log, one line per change.
 */
final class ProgressBar implements Consumer<Progress>, AutoCloseable {
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private Progress progress = Progress.PENDING;
  private String lastState = "";
  private boolean closed;

  ProgressBar(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
    this.ticker = terminal ? Thread.ofVirtual().start(this::tick) : null;
  }

  /** Whether stderr is a terminal: on Linux asked of /proc, elsewhere guessed from the console. */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) return false;
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  @Override
  public synchronized void accept(Progress p) {
    if (closed) return;
    progress = p;
    draw(false);
  }

  private void tick() {
    try {
      while (true) {
        Thread.sleep(1000);
        synchronized (this) {
          if (closed) return;
          draw(true);
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private void draw(boolean tick) {
    String state = state();
    if (terminal) {
      err.print("\r" + state + "  " + elapsed() + "\033[K"); // erase what a longer line left
      err.flush();
    } else if (!tick && !state.equals(lastState)) {
      err.println(state + "  " + elapsed());
    }
    lastState = state;
  }

  /** The bar, percentage and stage: a line-per-change log writes a line when this changes. */
  private String state() {
    double fraction = progress.status().equals("completed") ? 1 : progress.fraction(); // the status may come first
    int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    int filled = percent * WIDTH / 100;
    String stage = progress.finished() || progress.stage().isBlank() ? progress.status() : progress.stage();
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent) + "  " + stage;
  }

  private String elapsed() {
    long s = (System.nanoTime() - start) / 1_000_000_000L;
    return String.format("%d:%02d", s / 60, s % 60);
  }

  /** Ends the bar: on a terminal its line, with the time the wait took. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (ticker != null) ticker.interrupt();
    String state = state();
    if (terminal) err.println("\r" + state + "  " + elapsed() + "\033[K");
    else if (!state.equals(lastState)) err.println(state + "  " + elapsed());
    err.flush();
  }
}
