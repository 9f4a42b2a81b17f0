package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.Api;
import dev.refrain.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `/files/<key>` answers whole files, one byte range, or HEAD, on whichever storage the suite runs. */
class FileRangeTest {
  static TestServer ts;
  static Api api;
  static String url;
  static final byte[] DATA = new byte[1000];

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
    api = ts.client;
    new Random(5).nextBytes(DATA);
    url = api.post("/api/ephemeral_resource", ts.newKey(),
        Map.of("file_name", "r.wav", "file_data", Base64.getEncoder().encodeToString(DATA))).data().path("url").asText();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  static HttpResponse<byte[]> get(String range) {
    return api.download(url, range == null ? Map.of() : Map.of("Range", range));
  }

  static void assertPart(String range, int from, int to) {
    HttpResponse<byte[]> r = get(range);
    assertThat(r.statusCode()).as(range).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(DATA, from, to + 1));
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + from + "-" + to + "/1000");
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(to - from + 1);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/wav");
  }

  @Test
  void wholeFile() {
    HttpResponse<byte[]> r = get(null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(DATA);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(1000);
    assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
  }

  @Test
  void oneRangeInEachForm() {
    assertPart("bytes=100-199", 100, 199);
    assertPart("bytes=0-0", 0, 0);
    assertPart("bytes=900-", 900, 999);
    assertPart("bytes=-50", 950, 999);
    assertPart("bytes=-5000", 0, 999);
    assertPart("bytes=990-2000", 990, 999);
  }

  @Test
  void aRangePastTheEndIs416WithTheSize() {
    HttpResponse<byte[]> r = get("bytes=1000-");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */1000");
  }

  @Test
  void malformedOrSeveralRangesGetTheWholeFile() {
    for (String range : new String[] {"bytes=0-1,5-6", "bytes=abc", "items=0-1", "bytes=5-2", "bytes=-0"}) {
      HttpResponse<byte[]> r = get(range);
      assertThat(r.statusCode()).as(range).isEqualTo(200);
      assertThat(r.body()).isEqualTo(DATA);
    }
  }

  @Test
  void headSendsTheHeadersWithoutTheBytes() {
    HttpResponse<byte[]> r = api.send("HEAD", url, null, null, Map.of()).raw();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(1000);
    assertThat(r.body()).isEmpty();
    HttpResponse<byte[]> part = api.send("HEAD", url, null, null, Map.of("Range", "bytes=10-19")).raw();
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-19/1000");
    assertThat(part.headers().firstValueAsLong("Content-Length")).hasValue(10);
    assertThat(api.send("HEAD", "/files/uploads/none.wav", null, null, Map.of()).status()).isEqualTo(404);
  }
}
