package dev.refrain.storage;

import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.UploadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Files clients hand us (ephemeral_resource uploads, inline base64 task inputs): stored as blobs,
 * recorded with an expiry, and swept when they expire.
 */
public final class Uploads {
  private final Database db;
  private final BlobStore blobs;
  private final Links links;
  private final Duration ttl;
  private final UploadStore store = new UploadStore();

  public Uploads(Database db, BlobStore blobs, Links links, Duration ttl) {
    this.db = db;
    this.blobs = blobs;
    this.links = links;
    this.ttl = ttl;
  }

  /**
   * Stores bytes under {@code blobKey} for {@code keyId} and returns the URL they are served at,
   * under {@code base} (the request's base URL; null for the node's).
   */
  public String store(String keyId, String blobKey, String fileName, byte[] data, String base) {
    try {
      blobs.put(blobKey, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long now = Clock.nowMicros();
    db.tx(c -> {
      store.insert(c, new UploadStore.Upload(UUID.randomUUID().toString(), keyId, fileName, blobKey, data.length, now,
          now + ttl.toNanos() / 1_000));
      return null;
    });
    return Links.fileUrl(links.baseOr(base), blobKey);
  }

  /** A new upload's blob key: a random folder keeps names unguessable and lets names repeat. */
  public static String uploadKey(String safeFileName) {
    return "uploads/" + UUID.randomUUID() + "/" + safeFileName;
  }

  /** Deletes expired uploads; returns how many. */
  public int sweep() {
    List<UploadStore.Upload> expired = db.read(c -> store.expired(c, Clock.nowMicros(), 500));
    for (UploadStore.Upload u : expired) {
      try {
        blobs.delete(u.blobKey());
      } catch (IOException e) {
        continue; // try again next sweep
      }
      db.tx(c -> {
        store.delete(c, u.id());
        return null;
      });
    }
    return expired.size();
  }
}
