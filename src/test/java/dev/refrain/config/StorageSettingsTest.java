package dev.refrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  @Test
  void diskByDefaultKeepingOutputsForever() {
    StorageSettings s = Config.fromMap(Map.of()).storage();
    assertThat(s.s3()).isFalse();
    assertThat(s.presignedUrls()).isFalse();
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(s.presignTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(s.outputTtl()).isZero();
  }

  @Test
  void anS3LocationSplitsIntoBucketAndPrefix() {
    StorageSettings s = Config.fromMap(Map.of("REFRAIN_STORAGE", "s3://my-bucket/music/refrain/", "REFRAIN_S3_ENDPOINT", "http://minio:9000/",
        "REFRAIN_S3_ACCESS_KEY_ID", "AKID", "REFRAIN_S3_SECRET_ACCESS_KEY", "very-secret", "REFRAIN_S3_PATH_STYLE", "true",
        "REFRAIN_AUDIO_URLS", "presigned", "REFRAIN_PRESIGN_TTL", "12h", "REFRAIN_OUTPUT_TTL", "30d")).storage();
    assertThat(s.bucket()).isEqualTo("my-bucket");
    assertThat(s.prefix()).isEqualTo("music/refrain/");
    assertThat(s.endpoint()).isEqualTo("http://minio:9000");
    assertThat(s.pathStyle()).isTrue();
    assertThat(s.presignedUrls()).isTrue();
    assertThat(s.presignTtl()).isEqualTo(Duration.ofHours(12));
    assertThat(s.outputTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(s.toString()).contains("s3://my-bucket/music/refrain/").doesNotContain("very-secret");
    assertThat(Config.fromMap(Map.of("REFRAIN_STORAGE", "s3://b12")).storage().prefix()).isEmpty();
  }

  @Test
  void mistakesNameTheSetting() {
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_STORAGE", "/var/refrain"))).hasMessageContaining("REFRAIN_STORAGE must be");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_STORAGE", "s3://No_Such"))).hasMessageContaining("not a valid S3 bucket name");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_STORAGE", "s3://bucket/a/../b"))).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_AUDIO_URLS", "presigned"))).hasMessageContaining("needs S3 storage");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_AUDIO_URLS", "direct"))).hasMessageContaining("REFRAIN_AUDIO_URLS must be");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_STORAGE", "s3://bucket", "REFRAIN_PRESIGN_TTL", "8d")))
        .hasMessageContaining("REFRAIN_PRESIGN_TTL must be between 1s and 7d");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_S3_ACCESS_KEY_ID", "AKID"))).hasMessageContaining("must be set together");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_S3_ENDPOINT", "minio:9000"))).hasMessageContaining("REFRAIN_S3_ENDPOINT must be");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_OUTPUT_TTL", "soon"))).hasMessageContaining("REFRAIN_OUTPUT_TTL must be a duration");
  }
}
