package dev.refrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.config.Config;
import dev.refrain.config.StorageSettings;
import dev.refrain.testing.TestStorage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract on S3 (an S3Proxy), and what only S3 does: presigned URLs, a clear failure to connect. */
class S3BlobStoreTest extends BlobStoreContract {
  static StorageSettings settings(Map<String, String> overrides) {
    Map<String, String> s = new HashMap<>(TestStorage.s3("c-" + UUID.randomUUID()));
    s.putAll(overrides);
    return Config.fromMap(s).storage();
  }

  @Override
  BlobStore create() throws IOException {
    return S3BlobStore.connect(settings(Map.of()));
  }

  @Test
  void presignedUrlsServeStraightFromTheBucketAndMapBackToTheirKey() throws Exception {
    blobs.put("outputs/p.mp3", new byte[] {1, 2, 3});
    Links.Direct direct = ((S3BlobStore) blobs).presignedUrls(Duration.ofMinutes(5));
    String url = direct.url("outputs/p.mp3");
    assertThat(url).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).containsExactly(1, 2, 3);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
    HttpResponse<byte[]> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf('?'))))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(unsigned.statusCode()).isEqualTo(403);

    Links links = new Links("http://refrain.example", direct);
    assertThat(links.outputUrl("outputs/p.mp3")).startsWith(url.substring(0, url.indexOf('?')));
    assertThat(links.keyOf(url, null)).hasValue("outputs/p.mp3");
    assertThat(links.keyOf("http://refrain.example/files/uploads/a/b.mp3", null)).hasValue("uploads/a/b.mp3");
    assertThat(links.keyOf("http://elsewhere.example/outputs/p.mp3", null)).isEmpty();
  }

  @Test
  void aMissingBucketOrWrongSecretStopsTheStartWithoutShowingTheSecret() {
    StorageSettings missing = settings(Map.of());
    StorageSettings nowhere = new StorageSettings("no-such-bucket", "", missing.endpoint(), missing.region(), missing.accessKeyId(),
        missing.secretAccessKey(), true, false, Duration.ofDays(7), Duration.ZERO);
    assertThatThrownBy(() -> S3BlobStore.connect(nowhere)).isInstanceOf(IOException.class)
        .hasMessageContaining("s3://no-such-bucket/").hasMessageContaining("no such bucket").hasMessageNotContaining(missing.secretAccessKey());
    StorageSettings wrong = settings(Map.of("REFRAIN_S3_SECRET_ACCESS_KEY", "not-the-secret-42"));
    assertThatThrownBy(() -> S3BlobStore.connect(wrong)).isInstanceOf(IOException.class)
        .hasMessageContaining("S3: cannot reach bucket").hasMessageContaining("access denied").hasMessageNotContaining("not-the-secret-42");
    assertThat(wrong.toString()).doesNotContain("not-the-secret-42");
  }
}
