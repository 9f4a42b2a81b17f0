package dev.refrain.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Blobs as files under one folder. Writes go to a temporary file first so readers never see half a file. */
public final class DiskBlobStore implements BlobStore {
  private final Path root;

  public DiskBlobStore(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    write(key, tmp -> Files.write(tmp, data));
  }

  @Override
  public void put(String key, Path file) throws IOException {
    write(key, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
  }

  private interface Fill {
    void into(Path tmp) throws IOException;
  }

  private void write(String key, Fill fill) throws IOException {
    Path target = path(key);
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".put-", ".tmp");
    try {
      fill.into(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public Optional<Blob> open(String key) throws IOException {
    Path p = path(key);
    if (Files.isDirectory(p)) return Optional.empty(); // a key that names a folder (`outputs/`) names no blob
    try {
      InputStream in = Files.newInputStream(p);
      return Optional.of(new Blob(Files.size(p), in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<Blob> open(String key, long offset, long length) throws IOException {
    if (Files.isDirectory(path(key))) return Optional.empty();
    FileChannel ch;
    try {
      ch = FileChannel.open(path(key));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      long size = ch.size();
      ch.position(Math.min(offset, size));
      return Optional.of(new Blob(size, new Limited(Channels.newInputStream(ch), length)));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  @Override
  public int deleteOlderThan(String prefix, Instant cutoff) throws IOException {
    BlobStore.checkKey(prefix);
    Path dir = root.resolve(prefix.substring(0, prefix.lastIndexOf('/') + 1)).normalize();
    if (!Files.isDirectory(dir)) return 0;
    List<Path> old;
    try (var files = Files.walk(dir)) {
      old = files.filter(f -> root.relativize(f).toString().replace('\\', '/').startsWith(prefix))
          .filter(f -> olderThan(f, cutoff)).toList();
    }
    int n = 0;
    for (Path f : old) {
      if (Files.deleteIfExists(f)) n++;
    }
    return n;
  }

  private static boolean olderThan(Path f, Instant cutoff) {
    try {
      return Files.isRegularFile(f) && Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
    } catch (IOException gone) {
      return false;
    }
  }

  private Path path(String key) {
    return root.resolve(BlobStore.checkKey(key)).normalize();
  }

  /** Ends after {@code remaining} bytes, so a ranged read stops at the range's end. */
  private static final class Limited extends FilterInputStream {
    private long remaining;

    Limited(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) return -1;
      int b = in.read();
      if (b >= 0) remaining--;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) return -1;
      int n = in.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }
  }
}
