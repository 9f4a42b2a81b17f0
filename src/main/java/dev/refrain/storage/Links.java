package dev.refrain.storage;

import java.util.Optional;

/**
 * Turns blob keys into the absolute URLs we hand out, and our own URLs back into keys. Outputs may
 * instead get {@link Direct} URLs straight to the storage (presigned S3 GETs).
 */
public final class Links {
  public static final String FILES_PATH = "/files/";
  private final String base;
  private final Direct direct;

  /** URLs that point at the storage itself rather than at us. */
  public interface Direct {
    String url(String key);

    /** The key behind one of {@link #url}'s URLs (unchecked), or empty when the URL is not one. */
    Optional<String> keyOf(String url);
  }

  public Links(String publicBaseUrl) {
    this(publicBaseUrl, null);
  }

  /** With {@code direct} null, outputs are served under the public base URL like everything else. */
  public Links(String publicBaseUrl, Direct direct) {
    this.base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    this.direct = direct;
  }

  public String base() {
    return base;
  }

  public String fileUrl(String key) {
    return base + FILES_PATH + key;
  }

  /** The `audio_url` of a task's output. */
  public String outputUrl(String key) {
    return direct == null ? fileUrl(key) : direct.url(key);
  }

  /** The blob key behind one of our own URLs (either form), so such inputs are read locally, without HTTP. */
  public Optional<String> keyOf(String url) {
    String prefix = base + FILES_PATH;
    Optional<String> key;
    if (url != null && url.startsWith(prefix)) {
      String k = url.substring(prefix.length());
      int q = k.indexOf('?');
      key = Optional.of(q < 0 ? k : k.substring(0, q));
    } else {
      key = direct == null ? Optional.empty() : direct.keyOf(url);
    }
    try {
      return key.map(BlobStore::checkKey);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
