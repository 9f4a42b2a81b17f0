package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The workspace's files at /, their caching and security headers, and the API's JSON beside them. */
class WebPagesTest {
  private static TestServer ts;

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<byte[]> get(String path) {
    return ts.client.download(ts.client.base + path, Map.of());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  @Test
  void thePageIsServedAtTheRootWithAStrictPolicyAndNoCaching() {
    HttpResponse<byte[]> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(header(page, "Content-Type")).startsWith("text/html");
    assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<div id=\"app\">");
    assertThat(header(page, "Cache-Control")).isEqualTo("no-cache");
    assertThat(header(page, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(page, "X-Frame-Options")).isEqualTo("DENY");
    String csp = header(page, "Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
        "connect-src 'self';", "media-src 'self';", "base-uri 'none'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(get("/index.html").statusCode()).isEqualTo(200);
  }

  @Test
  void hashedAssetsAreCachedForAYear() {
    String html = new String(get("/").body(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(html);
    assertThat(m.find()).as(html).isTrue();
    HttpResponse<byte[]> js = get("/" + m.group(1));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(header(js, "Content-Type")).contains("javascript");
    assertThat(header(js, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(js.body().length).isGreaterThan(1000);
  }

  @Test
  void everythingElseStillAnswersJson() {
    for (String path : new String[] {"/api/v1/nope", "/nope.html", "/assets/nope.js"}) {
      Reply r = ts.client.get(path, ts.newKey());
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.body().path("code").asInt()).isEqualTo(404);
      assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }
    assertThat(ts.client.get("/api/v1/task/x", null).status()).isEqualTo(401);
  }
}
