package dev.refrain.storage;

import dev.refrain.config.StorageSettings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in one S3 bucket under a key prefix. Reads stream straight from S3 (ranged reads
 * fetch only their range); files are streamed from disk in one PUT (S3 takes up to 5 GB that way).
 */
public final class S3BlobStore implements BlobStore {
  /** DeleteObjects takes at most this many keys per call. */
  private static final int DELETE_BATCH = 1000;
  /** How long the start waits to connect to an S3-compatible endpoint before saying it is unreachable. */
  private static final Duration CONNECT_CHECK = Duration.ofSeconds(5);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;

  private S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** Connects and checks the bucket answers, so a wrong bucket, endpoint or credential stops the start. */
  public static S3BlobStore connect(StorageSettings s) throws IOException {
    if (s.endpointUri() != null) checkReachable(s);
    AwsCredentialsProvider credentials = s.accessKeyId().isEmpty()
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
    S3Configuration service = S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build();
    Region region = Region.of(s.region());
    var client = S3Client.builder().httpClientBuilder(Apache5HttpClient.builder()).region(region)
        .credentialsProvider(credentials).serviceConfiguration(service);
    var presigner = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(service);
    if (s.endpointUri() != null) {
      // S3-compatible servers often refuse the SDK's newer default checksums (trailing CRCs): only what S3 requires.
      client.endpointOverride(s.endpointUri()).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      presigner.endpointOverride(s.endpointUri());
    }
    S3BlobStore store = new S3BlobStore(client.build(), presigner.build(), s.bucket(), s.prefix());
    try {
      store.s3.headBucket(b -> b.bucket(s.bucket()));
    } catch (SdkException e) {
      store.close();
      // HEAD answers have no body, so S3's own message is empty: say what the status usually means.
      String hint = !(e instanceof S3Exception s3e) ? "" : switch (s3e.statusCode()) {
        case 404 -> "no such bucket; ";
        case 401, 403 -> "access denied, check the credentials and the bucket policy; ";
        case 301, 400 -> "wrong region or endpoint; ";
        default -> "";
      };
      throw store.failure("reach bucket", "", hint, e);
    }
    return store;
  }

  /**
   * A plain connection to the endpoint first: a server that is down or a wrong port stops the start
   * at once, without the second the SDK takes to set itself up.
   */
  private static void checkReachable(StorageSettings s) throws IOException {
    URI endpoint = s.endpointUri();
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), (int) CONNECT_CHECK.toMillis());
    } catch (IOException e) {
      throw new IOException("S3: cannot reach bucket s3://" + s.bucket() + "/" + s.prefix() + ": connect to " + endpoint
          + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    put(key, RequestBody.fromBytes(data));
  }

  @Override
  public void put(String key, Path file) throws IOException {
    put(key, RequestBody.fromFile(file));
  }

  private void put(String key, RequestBody body) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(object(key)).contentType(MediaTypes.forName(key)), body);
    } catch (SdkException e) {
      throw failure("store", key, e);
    }
  }

  @Override
  public Optional<Blob> open(String key) throws IOException {
    try {
      ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(object(key)));
      return Optional.of(new Blob(in.response().contentLength(), new Dropping(in)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public Optional<Blob> open(String key, long offset, long length) throws IOException {
    if (length <= 0) return emptyRange(key);
    long last = length == Long.MAX_VALUE ? -1 : offset + length - 1;
    String range = "bytes=" + offset + "-" + (last < 0 ? "" : last);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(bucket).key(object(key)).range(range));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 416) return emptyRange(key); // offset at or past the end
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
    // "bytes 100-199/1234": the whole size follows the slash; no Content-Range means S3 sent it all.
    String contentRange = in.response().contentRange();
    long size = contentRange == null ? in.response().contentLength()
        : Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1));
    return Optional.of(new Blob(size, new Dropping(in)));
  }

  /** The blob's size with no bytes: S3 refuses ranges that start past the end, so ask for the metadata instead. */
  private Optional<Blob> emptyRange(String key) throws IOException {
    try {
      long size = s3.headObject(b -> b.bucket(bucket).key(object(key))).contentLength();
      return Optional.of(new Blob(size, InputStream.nullInputStream()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty(); // HEAD answers carry no error code
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(object(key)));
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public int deleteOlderThan(String keyPrefix, Instant cutoff) throws IOException {
    String listed = object(keyPrefix);
    int deleted = 0;
    try {
      List<ObjectIdentifier> batch = new ArrayList<>();
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listed)).contents()) {
        if (!o.lastModified().isBefore(cutoff)) continue;
        batch.add(ObjectIdentifier.builder().key(o.key()).build());
        if (batch.size() == DELETE_BATCH) deleted += deleteAll(batch);
      }
      if (!batch.isEmpty()) deleted += deleteAll(batch);
    } catch (SdkException e) {
      throw failure("sweep", keyPrefix, e);
    }
    return deleted;
  }

  /** Deletes and clears {@code batch}; returns how many S3 reports deleted (failures are retried next sweep). */
  private int deleteAll(List<ObjectIdentifier> batch) {
    List<ObjectIdentifier> ids = List.copyOf(batch);
    batch.clear();
    return s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(false))).deleted().size();
  }

  /** Hands out presigned GET URLs valid for {@code ttl}, and recognises them when they come back as inputs. */
  public Links.Direct presignedUrls(Duration ttl) {
    // The object URL without a signature: what every presigned URL of ours starts with, up to the key.
    String sample = s3.utilities().getUrl(b -> b.bucket(bucket).key(prefix + "k")).toString();
    String base = sample.substring(0, sample.length() - 1);
    return new Links.Direct() {
      @Override
      public String url(String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(ttl)
            .getObjectRequest(g -> g.bucket(bucket).key(object(key)))).url().toString();
      }

      @Override
      public Optional<String> keyOf(String url) {
        if (url == null || !url.startsWith(base)) return Optional.empty();
        String key = url.substring(base.length());
        int q = key.indexOf('?');
        return Optional.of(q < 0 ? key : key.substring(0, q));
      }
    };
  }

  /**
   * Closed before its end (a listener hung up), it drops the connection: the HTTP client would
   * otherwise read the rest of the object just to reuse the connection.
   */
  private static final class Dropping extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private boolean ended;

    Dropping(ResponseInputStream<?> response) {
      super(response);
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (!ended) response.abort();
      in.close();
    }
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }

  private String object(String key) {
    return prefix + BlobStore.checkKey(key);
  }

  /** The SDK's message names the status and S3's error code; never the credentials. */
  private IOException failure(String what, String key, SdkException e) {
    return failure(what, key, "", e);
  }

  private IOException failure(String what, String key, String hint, SdkException e) {
    return new IOException("S3: cannot " + what + " s3://" + bucket + "/" + prefix + key + ": " + hint + e.getMessage(), e);
  }
}
