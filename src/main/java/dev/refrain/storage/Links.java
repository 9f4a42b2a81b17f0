package dev.refrain.storage;

import java.util.Optional;

/**
 * Turns blob keys into the URLs we hand out, and our own URLs back into keys. Our files' URLs are
 * made under a base URL: the node's configured one, or the one a request came in by (behind a
 * proxy, the proxy's), so each reader gets URLs it can reach. An output's URL is stored as a path
 * for that reason, and made absolute when it is read ({@link #absolute}). Outputs may instead get
 * {@link Direct} URLs straight to the storage (presigned S3 GETs), stored and handed out as they are.
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

  /** With {@code direct} null, outputs are served under the base URL like everything else. */
  public Links(String publicBaseUrl, Direct direct) {
    this.base = trim(publicBaseUrl);
    this.direct = direct;
  }

  /** The node's configured base URL, for URLs made outside any request. */
  public String base() {
    return base;
  }

  /** {@code base} itself when given, else the node's configured one. */
  public String baseOr(String base) {
    return base == null ? this.base : trim(base);
  }

  /** The URL of a stored file under {@code base}. */
  public static String fileUrl(String base, String key) {
    return trim(base) + FILES_PATH + key;
  }

  /** The `audio_url` of a task's output as stored: our own path, or a direct URL. */
  public String outputUrl(String key) {
    return direct == null ? FILES_PATH + key : direct.url(key);
  }

  /** A stored URL as handed out under {@code base}: our own paths go under it; absolute URLs stay as they are. */
  public static String absolute(String url, String base) {
    return url.startsWith("/") ? trim(base) + url : url;
  }

  /**
   * The blob key behind one of our own URLs (either form), so such inputs are read locally, without
   * HTTP: under the node's base URL, or under {@code taskBase} (the base the task was created by,
   * which may be a proxy's; null for none).
   */
  public Optional<String> keyOf(String url, String taskBase) {
    Optional<String> key = under(url, base);
    if (key.isEmpty() && taskBase != null) key = under(url, trim(taskBase));
    if (key.isEmpty() && direct != null) key = direct.keyOf(url);
    try {
      return key.map(BlobStore::checkKey);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> under(String url, String base) {
    String prefix = base + FILES_PATH;
    if (url == null || !url.startsWith(prefix)) return Optional.empty();
    String k = url.substring(prefix.length());
    int q = k.indexOf('?');
    return Optional.of(q < 0 ? k : k.substring(0, q));
  }

  private static String trim(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
