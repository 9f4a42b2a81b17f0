package dev.refrain.testing;

import dev.refrain.config.Config;
import dev.refrain.storage.BlobStore;
import dev.refrain.storage.DiskBlobStore;
import dev.refrain.storage.S3BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The storage tests run on, from the system property {@value #PROPERTY}: `disk` (the default) or
 * `s3`, an S3Proxy started once per JVM (lazily, see {@link S3ProxyProcess}) on a free loopback port.
 * Each server data folder gets its own bucket, so a restart on the same folder finds its files.
 */
public final class TestStorage {
  public static final String PROPERTY = "refrain.test.storage";
  private static final String KEY_ID = "refrain-test";
  private static final String SECRET = "refrain-test-secret";
  private static String endpoint;
  private static S3Client admin;

  private TestStorage() {}

  public static boolean s3() {
    String v = System.getProperty(PROPERTY, "disk");
    if (!v.equals("disk") && !v.equals("s3")) throw new IllegalStateException(PROPERTY + " must be disk or s3, got " + v);
    return v.equals("s3");
  }

  /** The settings that put a server with data folder {@code dir} on the chosen storage (none for disk). */
  public static Map<String, String> settings(Path dir) {
    return s3() ? s3(bucketFor(dir)) : Map.of();
  }

  /** Settings for {@code bucket} (created when missing) on the shared S3Proxy, whatever the property says. */
  public static Map<String, String> s3(String bucket) {
    String url = endpoint();
    try {
      admin.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException exists) {
      // a restart on the same data folder
    }
    Map<String, String> s = new HashMap<>();
    s.put("REFRAIN_STORAGE", "s3://" + bucket + "/refrain");
    s.put("REFRAIN_S3_ENDPOINT", url);
    s.put("REFRAIN_S3_PATH_STYLE", "true");
    s.put("REFRAIN_S3_ACCESS_KEY_ID", KEY_ID);
    s.put("REFRAIN_S3_SECRET_ACCESS_KEY", SECRET);
    return s;
  }

  /** The blob store a server with data folder {@code dir} uses. */
  public static BlobStore blobs(Path dir) throws IOException {
    if (!s3()) return new DiskBlobStore(dir.resolve("files"));
    return S3BlobStore.connect(Config.fromMap(settings(dir)).storage());
  }

  private static String bucketFor(Path dir) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
      return "t-" + HexFormat.of().formatHex(h, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static synchronized String endpoint() {
    if (endpoint != null) return endpoint;
    try {
      endpoint = S3ProxyProcess.start(KEY_ID, SECRET);
      admin = S3Client.builder().region(Region.US_EAST_1)
          .endpointOverride(URI.create(endpoint)).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET))).build();
      return endpoint;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }
}
