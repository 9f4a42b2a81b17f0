package dev.refrain.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    try {
      InputStream in = Files.newInputStream(p);
      return Optional.of(new Blob(Files.size(p), in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  private Path path(String key) {
    return root.resolve(BlobStore.checkKey(key)).normalize();
  }
}
