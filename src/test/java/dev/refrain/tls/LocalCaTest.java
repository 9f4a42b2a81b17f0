package dev.refrain.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.ServerProcess;
import dev.refrain.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REFRAIN_TLS_LOCAL: the CA is made once and reused, the server certificate names the loopback
 * addresses and is made anew when due, the keys stay private, and `refrain serve` says how to trust it.
 */
// Runs once, in the default execution: TLS does not depend on the store.
@RunsOnce
class LocalCaTest {
  @TempDir
  Path tmp;

  @Test
  void theCaIsMadeOnceAndServesHttpsForLocalhost() throws Exception {
    Path dir = tmp.resolve("data");
    Path tls = dir.resolve("tls");
    String caPem;
    String serverPem;
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_TLS_LOCAL", "true"))) {
      LocalCa ca = ts.server.localCa().orElseThrow();
      assertThat(ca.caCertificate()).isEqualTo(tls.resolve("ca.pem"));
      assertThat(ca.madeCa()).isTrue();
      assertThat(ts.server.baseUrl()).isEqualTo("https://localhost:" + ts.server.port());
      X509Certificate caCert = TestPki.readCert(ca.caCertificate());
      for (String host : List.of("localhost", "127.0.0.1")) {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(TestPki.trusting(caCert)).build()
            .send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + ts.server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      }
      caPem = Files.readString(tls.resolve("ca.pem"));
      serverPem = Files.readString(tls.resolve("server.pem"));
    }
    // Files and their permissions: the keys are this user's alone.
    assertThat(Files.getPosixFilePermissions(tls)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(tls.resolve("ca-key.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(tls.resolve("server-key.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(tls.resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");

    X509Certificate ca = TestPki.readCert(tls.resolve("ca.pem"));
    X509Certificate server = TestPki.readCert(tls.resolve("server.pem"));
    assertThat(ca.getBasicConstraints()).isEqualTo(0);
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()).toDays()).isBetween(3649L, 3651L);
    assertThat(Duration.between(Instant.now(), server.getNotAfter().toInstant()).toDays()).isBetween(363L, 365L);
    server.verify(ca.getPublicKey());
    assertThat(LocalCa.names(server)).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))).contains("localhost", "127.0.0.1");
    assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");

    // A second start takes what is there.
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_TLS_LOCAL", "true"))) {
      assertThat(ts.server.localCa().orElseThrow().madeCa()).isFalse();
      assertThat(Files.readString(tls.resolve("ca.pem"))).isEqualTo(caPem);
      assertThat(Files.readString(tls.resolve("server.pem"))).isEqualTo(serverPem);
    }
  }

  @Test
  void theServerCertificateIsMadeAnewNearItsEndOrWhenTheCaChanged() throws Exception {
    Path dir = tmp.resolve("tls");
    LocalCa first = LocalCa.open(dir, Clock.systemUTC());
    X509Certificate ca = TestPki.readCert(first.caCertificate());
    X509Certificate server = TestPki.readCert(first.serverCertificate());

    // Eleven months on: still the same CA, a new server certificate.
    LocalCa later = LocalCa.open(dir, Clock.fixed(Instant.now().plus(Duration.ofDays(340)), ZoneOffset.UTC));
    assertThat(later.madeCa()).isFalse();
    assertThat(TestPki.readCert(later.caCertificate())).isEqualTo(ca);
    X509Certificate renewed = TestPki.readCert(later.serverCertificate());
    assertThat(renewed.getSerialNumber()).isNotEqualTo(server.getSerialNumber());
    renewed.verify(ca.getPublicKey());

    // Nothing due: nothing rewritten.
    LocalCa.open(dir, Clock.fixed(Instant.now().plus(Duration.ofDays(340)), ZoneOffset.UTC));
    assertThat(TestPki.readCert(later.serverCertificate())).isEqualTo(renewed);

    // The CA gone: a new one, and a server certificate from it.
    Files.delete(dir.resolve("ca.pem"));
    Files.delete(dir.resolve("ca-key.pem"));
    LocalCa fresh = LocalCa.open(dir, Clock.systemUTC());
    assertThat(fresh.madeCa()).isTrue();
    X509Certificate newCa = TestPki.readCert(fresh.caCertificate());
    assertThat(newCa).isNotEqualTo(ca);
    TestPki.readCert(fresh.serverCertificate()).verify(newCa.getPublicKey());
  }

  @Test
  void aCaWithoutItsKeyStopsTheStartRatherThanBeReplaced() throws Exception {
    Path dir = tmp.resolve("tls");
    LocalCa.open(dir, Clock.systemUTC());
    Files.delete(dir.resolve("ca-key.pem"));
    assertThatThrownBy(() -> LocalCa.open(dir, Clock.systemUTC())).isInstanceOf(TlsException.class)
        .hasMessageContaining("REFRAIN_TLS_LOCAL: " + dir.resolve("ca-key.pem") + " is missing beside " + dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("ca-key.pem"), "garbage");
    assertThatThrownBy(() -> LocalCa.open(dir, Clock.systemUTC())).hasMessageContaining("REFRAIN_TLS_LOCAL's CA key (");
  }

  @Test
  void theInstructionsNameTheCaForEveryKindOfClient() {
    Path ca = Path.of("/srv/refrain data/tls/ca.pem");
    String text = String.join("\n", LocalCa.trustInstructions(ca, "https://localhost:8443"));
    assertThat(text).contains("curl --cacert '/srv/refrain data/tls/ca.pem' https://localhost:8443/healthz")
        .contains("NODE_EXTRA_CA_CERTS='/srv/refrain data/tls/ca.pem'")
        .contains("SSL_CERT_FILE='/srv/refrain data/tls/ca.pem'")
        .contains("REQUESTS_CA_BUNDLE='/srv/refrain data/tls/ca.pem'")
        .contains("keytool -importcert -cacerts -storepass changeit -noprompt -alias refrain-local-ca -file '/srv/refrain data/tls/ca.pem'");
  }

  @Test
  void refrainServePrintsTheHttpsUrlAndHowToTrustTheCa() throws Exception {
    Path dir = tmp.resolve("serve");
    Files.createDirectories(dir);
    int port = ServerProcess.freePort();
    int httpPort = ServerProcess.freePort();
    Process p = ServerProcess.launch(dir, port, "out.log", Map.of("REFRAIN_TLS_LOCAL", "true", "REFRAIN_PRINT_FIRST_KEY", "true",
        "REFRAIN_HTTP_PORT", Integer.toString(httpPort)));
    try {
      String out = "";
      for (long end = System.nanoTime() + Duration.ofSeconds(90).toNanos(); System.nanoTime() < end && !out.contains("plain HTTP too"); ) {
        assertThat(p.isAlive()).as("server process is alive: %s", out).isTrue();
        Thread.sleep(200);
        out = Files.exists(dir.resolve("out.log")) ? Files.readString(dir.resolve("out.log")) : "";
      }
      Path ca = dir.resolve("tls").resolve("ca.pem");
      assertThat(out).contains("Refrain is serving on https://localhost:" + port + " (Ctrl-C stops it)")
          .contains("Try it:  curl --cacert " + ca + " -H 'x-api-key: rk_")
          .contains("the CA certificate: " + ca)
          .contains("export NODE_EXTRA_CA_CERTS=" + ca)
          .contains("export SSL_CERT_FILE=" + ca + " REQUESTS_CA_BUNDLE=" + ca)
          .contains("keytool -importcert -cacerts -storepass changeit -noprompt -alias refrain-local-ca -file " + ca)
          .contains("plain HTTP too, on port " + httpPort)
          .doesNotContain("BEGIN PRIVATE KEY");
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }
}
