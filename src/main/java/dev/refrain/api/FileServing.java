package dev.refrain.api;

import dev.refrain.storage.BlobStore;
import dev.refrain.storage.Links;
import dev.refrain.storage.MediaTypes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** {@code GET} and {@code HEAD} of the stored files under {@link Links#FILES_PATH}, with byte ranges (players seek). */
public final class FileServing {
  private final BlobStore blobs;

  public FileServing(BlobStore blobs) {
    this.blobs = blobs;
  }

  public void configure(JavalinConfig config) {
    config.routes.get(Links.FILES_PATH + "<key>", this::file);
    config.routes.head(Links.FILES_PATH + "<key>", this::file);
  }

  /**
   * A stored file, whole or one byte range. Only the bytes sent are read from storage: a ranged
   * request reads its range, a HEAD nothing, a suffix range (`bytes=-500`) the size first.
   */
  private void file(Context ctx) throws IOException {
    String key = ctx.pathParam("key");
    boolean head = ctx.method() == HandlerType.HEAD;
    Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"));
    Optional<BlobStore.Blob> blob;
    try {
      boolean suffix = range.isPresent() && range.get().suffix();
      blob = head || suffix ? blobs.open(key, 0, 0)
          : range.isPresent() ? blobs.open(key, range.get().first(), range.get().length())
          : blobs.open(key);
      if (blob.isPresent() && suffix && !head) {
        long size = blob.get().size();
        blob = blobs.open(key, range.get().from(size), size);
      }
    } catch (IllegalArgumentException badKey) {
      blob = Optional.empty();
    }
    if (blob.isEmpty()) {
      Envelope.send(ctx, 404, Envelope.error(404, "file not found (it may have expired)"));
      return;
    }
    try (InputStream in = blob.get().stream()) {
      long size = blob.get().size();
      ctx.header("Accept-Ranges", "bytes");
      long from = range.map(r -> r.from(size)).orElse(0L);
      long to = range.map(r -> r.to(size)).orElse(size - 1);
      if (range.isPresent() && from > to) {
        ctx.header("Content-Range", "bytes */" + size);
        Envelope.send(ctx, 416, Envelope.error(416, "range not satisfiable: the file has " + size + " bytes"));
        return;
      }
      ctx.status(range.isPresent() ? 206 : 200);
      if (range.isPresent()) ctx.header("Content-Range", "bytes " + from + "-" + to + "/" + size);
      ctx.header("Cache-Control", "public, max-age=86400");
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.contentType(MediaTypes.forName(key));
      ctx.res().setContentLengthLong(to - from + 1);
      if (!head) send(in, ctx.res().getOutputStream());
    }
  }

  /**
   * Straight to the servlet stream (no buffering of big files, no compression). Storage failures
   * propagate; a listener hanging up mid-file (players do) is no error.
   */
  private static void send(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) {
      try {
        out.write(buf, 0, n);
      } catch (IOException hungUp) {
        return;
      }
    }
  }
}
