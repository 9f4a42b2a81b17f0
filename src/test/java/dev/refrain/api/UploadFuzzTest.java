package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.refrain.core.ApiError;

/**
 * Any bytes as an upload body: each is a 400 (413 for too much data) with a message, or an upload
 * whose name cannot leave its folder in storage and whose data is within the limit.
 */
class UploadFuzzTest {
  private static final long MAX = 1 << 16;

  @FuzzTest(maxDuration = "6s")
  @DictionaryEntries({"\"file_name\"", "\"file_data\"", "\".mp3\"", "\".wav\"", "\"../\"", "\"data:audio/wav;base64,\"", "\"==\"", "\\ud800"})
  void parse(byte[] body) {
    UploadRequest up;
    try {
      up = UploadRequest.parse(body, MAX);
    } catch (ApiError refused) {
      assertThat(refused.status()).isIn(400, 413);
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(up.safeName()).matches("[A-Za-z0-9._-]+").doesNotContain("..").isNotIn(".", "..");
    assertThat(up.name()).isNotBlank().hasSizeLessThanOrEqualTo(128);
    assertThat(up.data()).isNotEmpty().hasSizeLessThanOrEqualTo((int) MAX);
  }
}
