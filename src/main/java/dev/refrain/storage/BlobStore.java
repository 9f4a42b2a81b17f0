package dev.refrain.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where files live: outputs, uploads and kept inputs, by key (`outputs/<task>.mp3`). Keys are
 * relative paths of letters, digits, `._-` and `/`; never `..`.
 */
public interface BlobStore extends AutoCloseable {
  void put(String key, byte[] data) throws IOException;

  /** Stores the contents of {@code file} (left in place) under {@code key}, without reading it into memory. */
  void put(String key, Path file) throws IOException;

  /** The blob's bytes and size, or empty when there is none. The caller closes the stream. */
  Optional<Blob> open(String key) throws IOException;

  /**
   * At most {@code length} bytes from {@code offset} on, fetching only those, or empty when there is no
   * such blob. {@link Blob#size()} is still the whole blob's size (for Content-Range); an offset at or
   * past the end gives an empty stream. The caller closes the stream.
   */
  Optional<Blob> open(String key, long offset, long length) throws IOException;

  void delete(String key) throws IOException;

  /** Deletes the blobs under {@code prefix} last written before {@code cutoff}; returns how many. */
  int deleteOlderThan(String prefix, Instant cutoff) throws IOException;

  /** Releases connections; the store is not used afterwards. */
  @Override
  default void close() {}

  record Blob(long size, InputStream stream) {}

  static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 512 || key.startsWith("/") || key.contains("..")
        || !key.matches("[A-Za-z0-9._/-]+")) {
      throw new IllegalArgumentException("invalid blob key");
    }
    return key;
  }
}
