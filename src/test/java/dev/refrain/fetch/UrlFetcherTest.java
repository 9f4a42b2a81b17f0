package dev.refrain.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlFetcherTest {
  private static final int CAP = 1000;
  private static final AtomicInteger requests = new AtomicInteger();
  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", UrlFetcherTest::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String path = ex.getRequestURI().getPath();
    try (ex) {
      if (path.equals("/ok")) {
        send(ex, 200, "hello".getBytes(UTF_8), true);
      } else if (path.startsWith("/hops/")) {
        int left = Integer.parseInt(path.substring("/hops/".length()));
        if (left == 0) {
          send(ex, 200, "arrived".getBytes(UTF_8), true);
        } else {
          redirect(ex, left % 2 == 0 ? String.valueOf(left - 1) : "/hops/" + (left - 1)); // relative and absolute-path
        }
      } else if (path.equals("/to-metadata")) {
        redirect(ex, "http://169.254.169.254/latest/meta-data/");
      } else if (path.equals("/to-file")) {
        redirect(ex, "file:///etc/passwd");
      } else if (path.equals("/no-location")) {
        ex.sendResponseHeaders(302, -1);
      } else if (path.equals("/big")) {
        send(ex, 200, new byte[CAP + 1], true);
      } else if (path.equals("/big-chunked")) {
        send(ex, 200, new byte[CAP * 50], false);
      } else if (path.equals("/exact-chunked")) {
        send(ex, 200, new byte[CAP], false);
      } else if (path.equals("/drip")) {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < 100; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(100);
        }
      } else if (path.equals("/error")) {
        ex.sendResponseHeaders(500, -1);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up, as it should for oversized or slow bodies
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, boolean withLength) throws IOException {
    ex.sendResponseHeaders(status, withLength ? body.length : 0);
    ex.getResponseBody().write(body);
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private static UrlFetcher open() {
    return new UrlFetcher(true, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, CAP);
  }

  private static String failure(UrlFetcher fetcher, String url) {
    try {
      fetcher.fetch(url);
    } catch (FetchException e) {
      return e.getMessage();
    }
    throw new AssertionError("fetch of " + url + " succeeded");
  }

  @Test
  void fetchesFromLoopbackWhenPrivateIsAllowed() throws FetchException {
    assertThat(open().fetch(base + "/ok")).asString(UTF_8).isEqualTo("hello");
  }

  @Test
  void refusesLoopbackByDefaultWithoutSendingAnything() {
    UrlFetcher strict = new UrlFetcher(false, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, CAP);
    int before = requests.get();
    int port = server.getAddress().getPort();
    assertThat(failure(strict, base + "/ok")).isEqualTo("refused: 127.0.0.1 is a loopback address");
    assertThat(failure(strict, "http://localhost:" + port + "/ok")).startsWith("refused: localhost").contains("loopback");
    assertThat(failure(strict, "http://[::1]:" + port + "/ok")).startsWith("refused: ").contains("loopback");
    assertThat(failure(strict, "http://[::ffff:127.0.0.1]:" + port + "/ok")).startsWith("refused: ");
    assertThat(requests.get()).isEqualTo(before);
  }

  @Test
  void followsRedirectsUpToTheLimit() throws FetchException {
    assertThat(open().fetch(base + "/hops/3")).asString(UTF_8).isEqualTo("arrived");
    assertThat(failure(open(), base + "/hops/4")).isEqualTo("too many redirects (more than 3) from 127.0.0.1:" + server.getAddress().getPort());
    UrlFetcher noRedirects = new UrlFetcher(true, Duration.ofSeconds(2), Duration.ofSeconds(5), 0, CAP);
    assertThat(failure(noRedirects, base + "/hops/1")).startsWith("too many redirects (more than 0)");
  }

  @Test
  void checksEveryRedirectHop() {
    // Loopback passes so the test server is reachable; everything else gets the default verdict.
    AddressPolicy loopbackOnly = a -> a.isLoopbackAddress() ? Optional.empty() : AddressPolicy.of(false).refusal(a);
    UrlFetcher fetcher = new UrlFetcher(loopbackOnly, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, CAP);
    assertThat(failure(fetcher, base + "/to-metadata")).isEqualTo("refused: 169.254.169.254 is a link-local address (cloud metadata)");
    assertThat(failure(fetcher, base + "/to-file")).isEqualTo("unsupported URL scheme file: only http and https");
    assertThat(failure(fetcher, base + "/no-location")).startsWith("redirect from 127.0.0.1:").endsWith("has no Location");
  }

  @Test
  void capsTheBody() throws FetchException {
    String tooLarge = "input at 127.0.0.1:" + server.getAddress().getPort() + " is larger than the limit of " + CAP + " bytes";
    assertThat(failure(open(), base + "/big")).isEqualTo(tooLarge);
    assertThat(failure(open(), base + "/big-chunked")).isEqualTo(tooLarge);
    assertThat(open().fetch(base + "/exact-chunked")).hasSize(CAP);
  }

  @Test
  void givesUpOnASlowDripAtTheDeadline() {
    UrlFetcher impatient = new UrlFetcher(true, Duration.ofSeconds(2), Duration.ofMillis(600), 3, CAP);
    long started = System.nanoTime();
    assertThat(failure(impatient, base + "/drip")).isEqualTo("timed out after 600ms fetching from 127.0.0.1:" + server.getAddress().getPort());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
  }

  @Test
  void reportsHttpErrors() {
    String host = "127.0.0.1:" + server.getAddress().getPort();
    assertThat(failure(open(), base + "/missing")).isEqualTo("HTTP 404 from " + host);
    assertThat(failure(open(), base + "/error")).isEqualTo("HTTP 500 from " + host);
  }

  @Test
  void reportsRefusedConnections() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThat(failure(open(), "http://127.0.0.1:" + closedPort + "/")).isEqualTo("could not connect to 127.0.0.1:" + closedPort + ": connection refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/a.mp3", "gopher://example.com/", "FILE:///etc/passwd"})
  void refusesOtherSchemes(String url) {
    assertThat(failure(open(), url)).startsWith("unsupported URL scheme ").endsWith(": only http and https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not a url", "http://exa mple.com/", "http:///path", "/relative/path", "http://[::1/", "mailto:someone"})
  void refusesMalformedUrls(String url) {
    assertThat(failure(open(), url)).satisfiesAnyOf(
        m -> assertThat(m).startsWith("malformed URL"),
        m -> assertThat(m).startsWith("unsupported URL scheme"));
  }

  @Test
  void neverShowsCredentials() {
    int port = server.getAddress().getPort();
    String secret = "s3cr3t";
    UrlFetcher strict = new UrlFetcher(false, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, CAP);
    assertThat(failure(open(), "http://user:" + secret + "@127.0.0.1:" + port + "/missing?token=" + secret))
        .isEqualTo("HTTP 404 from 127.0.0.1:" + port);
    assertThat(failure(strict, "http://user:" + secret + "@127.0.0.1:" + port + "/ok?sig=" + secret)).doesNotContain(secret);
    assertThat(failure(open(), "http://user:" + secret + "@exa mple.com/?k=" + secret)).doesNotContain(secret);
    assertThat(failure(open(), "http://user:" + secret + "@no-such-host.invalid/a?k=" + secret))
        .isEqualTo("cannot resolve host no-such-host.invalid");
  }
}
