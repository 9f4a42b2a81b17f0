package dev.refrain.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.refrain.testing.LogCapture;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import dev.refrain.tls.TestPki.Issued;
import dev.refrain.tls.TestPki.KeyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Certificates replaced under a running server: new connections get a new pair once both files
 * parse and match, within a few polls; a pair that does not (a certificate whose key is not there yet,
 * or never comes) is not taken, and the one served stays.
 */
// Runs once, in the default execution: TLS does not depend on the store.
@RunsOnce
class TlsReloadTest {
  /** Polls every 2 s: a change shows within two of them, give or take a loaded machine. */
  private static final Duration WITHIN = Duration.ofSeconds(20);

  private static final Issued ROOT = TestPki.root("Reload Root");
  private static final Issued INTERMEDIATE = TestPki.intermediate(ROOT, "Reload Intermediate");

  @Test
  void aNewPairIsServedToNewConnectionsAndABrokenOneIsNot() throws Exception {
    Path dir = Files.createTempDirectory("refrain-reload-");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Issued first = TestPki.server(INTERMEDIATE, TestPki.ec());
    write(cert, key, first);
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_TLS_CERT", cert.toString(), "REFRAIN_TLS_KEY", key.toString()));
        LogCapture logs = LogCapture.start()) {
      int port = ts.server.port();
      assertThat(peer(port)).isEqualTo(first.cert());
      // An HTTP/2 connection made before the swap keeps working after it.
      HttpClient before = HttpClient.newBuilder().sslContext(TestPki.trusting(ROOT.cert())).build();
      assertThat(healthz(before, port)).isEqualTo(200);

      Issued second = TestPki.server(INTERMEDIATE, TestPki.rsa());
      write(cert, key, second);
      awaitPeer(port, second.cert());
      assertThat(healthz(before, port)).isEqualTo(200);
      assertThat(logs.atLeast(Level.INFO)).anyMatch(l -> l.contains("HTTPS certificate reloaded") && l.contains(CertifiedKey.serial(second.cert())));

      // The certificate first, its key later: nothing changes in between, and the pair is taken once whole.
      Issued third = TestPki.server(INTERMEDIATE, TestPki.ec());
      TestPki.write(cert, TestPki.pem(third.cert(), INTERMEDIATE.cert()));
      awaitLog(logs, l -> l.contains("not reloading HTTPS") && l.contains("does not match the certificate")
          && l.contains("still serving CN=localhost, serial " + CertifiedKey.serial(second.cert())));
      assertThat(peer(port)).isEqualTo(second.cert());
      TestPki.write(key, TestPki.pem(third.key(), KeyFormat.TRADITIONAL));
      awaitPeer(port, third.cert());

      // A broken key file: refused, the served pair stays; the warning says what is wrong without showing any key.
      TestPki.write(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");
      awaitLog(logs, l -> l.contains("REFRAIN_TLS_KEY (" + key + "): not a readable PEM private key"));
      assertThat(peer(port)).isEqualTo(third.cert());
      assertThat(String.join("\n", logs.all())).doesNotContain(TestPki.pem(third.key(), KeyFormat.TRADITIONAL).lines().skip(1).findFirst().orElseThrow());
      // Expired: refused as well.
      Issued expired = TestPki.server(INTERMEDIATE, TestPki.ec(), Duration.ofHours(-1).plusMinutes(30));
      write(cert, key, expired);
      awaitLog(logs, l -> l.contains("the certificate expired on"));
      assertThat(peer(port)).isEqualTo(third.cert());
    }
  }

  /** Key, then certificate, each replaced whole. */
  private static void write(Path cert, Path key, Issued leaf) throws Exception {
    TestPki.write(key, TestPki.pem(leaf.key(), KeyFormat.PKCS8));
    TestPki.write(cert, TestPki.pem(leaf.cert(), INTERMEDIATE.cert()));
  }

  /** The certificate a new connection is served, from a new client context: no session is resumed. */
  private static X509Certificate peer(int port) throws Exception {
    try (SSLSocket s = (SSLSocket) TestPki.trusting(ROOT.cert()).getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static void awaitPeer(int port, X509Certificate expected) throws Exception {
    long end = System.nanoTime() + WITHIN.toNanos();
    X509Certificate seen = peer(port);
    while (!seen.equals(expected) && System.nanoTime() < end) {
      Thread.sleep(200);
      seen = peer(port);
    }
    assertThat(CertifiedKey.serial(seen)).as("serial served within %s", WITHIN).isEqualTo(CertifiedKey.serial(expected));
  }

  /** Waits for the poll that refuses a pair to say so: the served pair is then checked after it. */
  private static void awaitLog(LogCapture logs, java.util.function.Predicate<String> warning) throws Exception {
    long end = System.nanoTime() + WITHIN.toNanos();
    while (logs.atLeast(Level.WARN).stream().noneMatch(warning) && System.nanoTime() < end) Thread.sleep(50);
    assertThat(logs.atLeast(Level.WARN)).as("a warning within %s", WITHIN).anyMatch(warning);
  }

  private static int healthz(HttpClient c, int port) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
