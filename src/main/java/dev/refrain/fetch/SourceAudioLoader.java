package dev.refrain.fetch;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioException;
import dev.refrain.audio.DecoderPool;
import dev.refrain.storage.BlobStore;
import dev.refrain.storage.Links;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Loads the audio a task works on (its source audio) and decodes it: our own file URLs are read
 * from storage without HTTP, anything else goes through the guarded {@link UrlFetcher}. Every
 * failure is a {@link LoadException} whose message completes "failed to get input audio: ".
 */
public final class SourceAudioLoader {
  private final Links links;
  private final BlobStore blobs;
  private final UrlFetcher fetcher;
  private final DecoderPool decoders;
  private final long maxBytes;
  private final int maxSeconds;

  public SourceAudioLoader(Links links, BlobStore blobs, UrlFetcher fetcher, DecoderPool decoders, long maxBytes,
      int maxSeconds) {
    this.links = links;
    this.decoders = decoders;
    this.blobs = blobs;
    this.fetcher = fetcher;
    this.maxBytes = maxBytes;
    this.maxSeconds = maxSeconds;
  }

  /** @param taskBase the base URL the task was created by: our own files under it are read from storage */
  public AudioClip load(String url, String taskBase) throws LoadException, InterruptedException {
    byte[] bytes = bytes(url, taskBase);
    try {
      return decoders.decode(bytes, maxSeconds);
    } catch (AudioException e) {
      throw new LoadException(e.getMessage());
    }
  }

  private byte[] bytes(String url, String taskBase) throws LoadException {
    Optional<String> own = links.keyOf(url, taskBase);
    if (own.isPresent()) {
      try {
        Optional<BlobStore.Blob> blob = blobs.open(own.get());
        if (blob.isEmpty()) throw new LoadException("the file " + url + " does not exist or has expired");
        try (InputStream in = blob.get().stream()) {
          if (blob.get().size() > maxBytes) throw new LoadException("the file is larger than " + maxBytes + " bytes");
          return in.readAllBytes();
        }
      } catch (IOException e) {
        throw new LoadException("could not read the stored file: " + e.getMessage());
      }
    }
    try {
      return fetcher.fetch(url);
    } catch (FetchException e) {
      throw new LoadException(e.getMessage());
    }
  }

  /** Why input audio could not be had, in words fit for `error.message`. */
  public static final class LoadException extends Exception {
    public LoadException(String message) {
      super(message, null, false, false);
    }
  }
}
