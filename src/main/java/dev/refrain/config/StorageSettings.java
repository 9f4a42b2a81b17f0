package dev.refrain.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where blobs live and how their URLs are handed out. An empty {@code bucket} means files on disk
 * under the data folder; otherwise S3 (or an S3-compatible server at {@code endpoint}).
 *
 * @param prefix the key prefix inside the bucket, empty or ending in `/`
 * @param endpoint empty means AWS itself
 * @param accessKeyId empty means the SDK's default credentials chain
 * @param presignedUrls hand out presigned GET URLs to the bucket as `audio_url` instead of our own `/files/` URLs
 * @param outputTtl how long outputs are kept; zero keeps them forever
 */
public record StorageSettings(String bucket, String prefix, String endpoint, String region, String accessKeyId,
    String secretAccessKey, boolean pathStyle, boolean presignedUrls, Duration presignTtl, Duration outputTtl) {

  /** SigV4 presigned URLs live at most a week. */
  static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

  public boolean s3() {
    return !bucket.isEmpty();
  }

  static StorageSettings parse(Config.Parser p) {
    String storage = p.text("REFRAIN_STORAGE");
    String bucket = "";
    String prefix = "";
    if (!storage.isEmpty()) {
      if (!storage.startsWith("s3://")) {
        throw new Config.ConfigException("REFRAIN_STORAGE must be empty (files on disk) or s3://bucket/prefix, got '" + storage + "'");
      }
      String rest = storage.substring("s3://".length());
      int slash = rest.indexOf('/');
      bucket = slash < 0 ? rest : rest.substring(0, slash);
      prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new Config.ConfigException("REFRAIN_STORAGE names bucket '" + bucket + "', which is not a valid S3 bucket name");
      }
      if (!prefix.isEmpty() && (!prefix.matches("[A-Za-z0-9._/-]+") || prefix.contains(".."))) {
        throw new Config.ConfigException("REFRAIN_STORAGE's prefix may hold only letters, digits, '._-' and '/'");
      }
      if (!prefix.isEmpty()) prefix += "/";
    }
    String endpoint = p.text("REFRAIN_S3_ENDPOINT");
    if (!endpoint.isEmpty() && !endpoint.matches("(?i)https?://[^\\s/?#]+/?")) {
      throw new Config.ConfigException("REFRAIN_S3_ENDPOINT must be an http(s) URL with no path, got '" + endpoint + "'");
    }
    String keyId = p.text("REFRAIN_S3_ACCESS_KEY_ID");
    String secret = p.text("REFRAIN_S3_SECRET_ACCESS_KEY");
    if (keyId.isEmpty() != secret.isEmpty()) {
      throw new Config.ConfigException("REFRAIN_S3_ACCESS_KEY_ID and REFRAIN_S3_SECRET_ACCESS_KEY must be set together");
    }
    boolean presigned = switch (p.text("REFRAIN_AUDIO_URLS").toLowerCase(Locale.ROOT)) {
      case "proxy" -> false;
      case "presigned" -> true;
      default -> throw new Config.ConfigException("REFRAIN_AUDIO_URLS must be proxy or presigned, got '" + p.text("REFRAIN_AUDIO_URLS") + "'");
    };
    if (presigned && bucket.isEmpty()) {
      throw new Config.ConfigException("REFRAIN_AUDIO_URLS=presigned needs S3 storage (REFRAIN_STORAGE=s3://bucket/prefix)");
    }
    Duration presignTtl = p.duration("REFRAIN_PRESIGN_TTL");
    if (presignTtl.compareTo(Duration.ofSeconds(1)) < 0 || presignTtl.compareTo(MAX_PRESIGN_TTL) > 0) {
      throw new Config.ConfigException("REFRAIN_PRESIGN_TTL must be between 1s and 7d (S3's limit)");
    }
    Duration outputTtl = p.duration("REFRAIN_OUTPUT_TTL");
    if (outputTtl.isNegative()) throw new Config.ConfigException("REFRAIN_OUTPUT_TTL must not be negative");
    return new StorageSettings(bucket, prefix, endpoint.replaceAll("/$", ""), p.text("REFRAIN_S3_REGION"), keyId, secret,
        p.bool("REFRAIN_S3_PATH_STYLE"), presigned, presignTtl, outputTtl);
  }

  /** The endpoint as a URI, or null for AWS's own. */
  public URI endpointUri() {
    return endpoint.isEmpty() ? null : URI.create(endpoint);
  }

  /** Never shows the secret: configs end up in logs and error reports. */
  @Override
  public String toString() {
    return "StorageSettings[" + (s3() ? "s3://" + bucket + "/" + prefix : "disk") + ", endpoint=" + endpoint + ", region=" + region
        + ", credentials=" + (accessKeyId.isEmpty() ? "default chain" : "configured") + ", pathStyle=" + pathStyle + ", presignedUrls=" + presignedUrls
        + ", presignTtl=" + presignTtl + ", outputTtl=" + outputTtl + "]";
  }
}
