package dev.refrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} does, run against each one. */
abstract class BlobStoreContract {
  BlobStore blobs;

  /** A new, empty store. */
  abstract BlobStore create() throws IOException;

  @BeforeEach
  void open() throws IOException {
    blobs = create();
  }

  @AfterEach
  void close() {
    blobs.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] read(Optional<BlobStore.Blob> blob) throws IOException {
    assertThat(blob).isPresent();
    try (InputStream in = blob.get().stream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void storesReadsReplacesAndDeletes() throws IOException {
    byte[] data = bytes(1000, 1);
    blobs.put("outputs/a.mp3", data);
    Optional<BlobStore.Blob> blob = blobs.open("outputs/a.mp3");
    assertThat(blob.get().size()).isEqualTo(1000);
    assertThat(read(blob)).isEqualTo(data);
    blobs.put("outputs/a.mp3", new byte[] {7});
    assertThat(read(blobs.open("outputs/a.mp3"))).containsExactly(7);
    blobs.delete("outputs/a.mp3");
    assertThat(blobs.open("outputs/a.mp3")).isEmpty();
  }

  @Test
  void aMissingBlobIsEmptyAndDeletingItIsNoError() throws IOException {
    assertThat(blobs.open("outputs/none.mp3")).isEmpty();
    assertThat(blobs.open("outputs/none.mp3", 0, 10)).isEmpty();
    assertThat(blobs.open("outputs/none.mp3", 0, 0)).isEmpty();
    blobs.delete("outputs/none.mp3");
  }

  @Test
  void aKeyNamingAFolderNamesNoBlob() throws IOException {
    blobs.put("outputs/a/b.mp3", new byte[] {1, 2, 3});
    for (String folder : new String[] {"outputs/", "outputs/a", "outputs/a/", "outputs/a/."}) {
      assertThat(blobs.open(folder)).as(folder).isEmpty();
      assertThat(blobs.open(folder, 0, 10)).as(folder).isEmpty();
      assertThat(blobs.open(folder, 0, 0)).as(folder).isEmpty();
    }
  }

  @Test
  void aRangeReadsOnlyItsBytesAndKnowsTheWholeSize() throws IOException {
    byte[] data = bytes(1000, 2);
    blobs.put("uploads/x/r.wav", data);
    assertThat(blobs.open("uploads/x/r.wav", 100, 100).get().size()).isEqualTo(1000);
    assertThat(read(blobs.open("uploads/x/r.wav", 100, 100))).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    assertThat(read(blobs.open("uploads/x/r.wav", 900, Long.MAX_VALUE))).isEqualTo(Arrays.copyOfRange(data, 900, 1000));
    assertThat(read(blobs.open("uploads/x/r.wav", 990, 100))).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
    Optional<BlobStore.Blob> nothing = blobs.open("uploads/x/r.wav", 0, 0);
    assertThat(nothing.get().size()).isEqualTo(1000);
    assertThat(read(nothing)).isEmpty();
    Optional<BlobStore.Blob> past = blobs.open("uploads/x/r.wav", 1000, 10);
    assertThat(past.get().size()).isEqualTo(1000);
    assertThat(read(past)).isEmpty();
    assertThat(read(blobs.open("uploads/x/r.wav", 5000, 10))).isEmpty();
  }

  @Test
  void aStreamClosedEarlyLeavesTheStoreWorking() throws IOException {
    byte[] data = bytes(4 << 20, 4);
    blobs.put("outputs/long.wav", data);
    for (int i = 0; i < 3; i++) {
      try (InputStream in = blobs.open("outputs/long.wav").get().stream()) {
        assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOf(data, 10));
      }
    }
    assertThat(read(blobs.open("outputs/long.wav"))).isEqualTo(data);
  }

  @Test
  void aLargeFileIsStoredFromDiskAndLeftInPlace() throws Exception {
    Path file = Files.createTempFile("refrain-big-", ".wav");
    try {
      byte[] chunk = bytes(1 << 20, 3);
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      try (var out = Files.newOutputStream(file)) {
        for (int i = 0; i < 24; i++) {
          chunk[0] = (byte) i;
          out.write(chunk);
          sent.update(chunk);
        }
      }
      blobs.put("outputs/big.wav", file);
      assertThat(file).exists();
      Optional<BlobStore.Blob> blob = blobs.open("outputs/big.wav");
      assertThat(blob.get().size()).isEqualTo(24L << 20);
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      try (InputStream in = blob.get().stream()) {
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) got.update(buf, 0, n);
      }
      assertThat(got.digest()).isEqualTo(sent.digest());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void deleteOlderThanSweepsOnlyOldBlobsUnderThePrefix() throws Exception {
    blobs.put("outputs/old.mp3", new byte[] {1});
    blobs.put("uploads/u/old.mp3", new byte[] {2});
    // Object stores keep whole seconds of the write time: leave a clear second either side of the cutoff.
    Thread.sleep(1100);
    Instant cutoff = Instant.now();
    Thread.sleep(1100);
    blobs.put("outputs/new.mp3", new byte[] {3});
    assertThat(blobs.deleteOlderThan("outputs/", cutoff)).isEqualTo(1);
    assertThat(blobs.open("outputs/old.mp3")).isEmpty();
    assertThat(blobs.open("outputs/new.mp3")).isPresent();
    assertThat(blobs.open("uploads/u/old.mp3")).isPresent();
    assertThat(blobs.deleteOlderThan("outputs/", cutoff)).isZero();
    assertThat(blobs.deleteOlderThan("nothing/", Instant.now())).isZero();
  }

  @Test
  void keysMayNotEscape() {
    assertThatThrownBy(() -> blobs.put("../etc/passwd", new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> blobs.open("/abs")).isInstanceOf(IllegalArgumentException.class);
  }
}
