package dev.refrain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A child process's output, read to its end on a thread of its own so the child never blocks on a full pipe. */
public final class StreamText {
  private StreamText() {}

  /** The whole of {@code in} as UTF-8 text, once it ends. */
  public static CompletableFuture<String> read(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (in) {
        f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.completeExceptionally(new UncheckedIOException(e));
      }
    });
    return f;
  }
}
