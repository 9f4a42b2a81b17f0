package dev.refrain.storage;

import java.util.Optional;

/** Turns blob keys into the absolute URLs we hand out, and our own URLs back into keys. */
public final class Links {
  public static final String FILES_PATH = "/files/";
  private final String base;

  public Links(String publicBaseUrl) {
    this.base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
  }

  public String base() {
    return base;
  }

  public String fileUrl(String key) {
    return base + FILES_PATH + key;
  }

  /** The blob key behind one of our own file URLs, so such inputs are read locally, without HTTP. */
  public Optional<String> keyOf(String url) {
    String prefix = base + FILES_PATH;
    if (url == null || !url.startsWith(prefix)) return Optional.empty();
    String key = url.substring(prefix.length());
    int q = key.indexOf('?');
    if (q >= 0) key = key.substring(0, q);
    try {
      return Optional.of(BlobStore.checkKey(key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
