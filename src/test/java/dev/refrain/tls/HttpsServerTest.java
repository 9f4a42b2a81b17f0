package dev.refrain.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.StartException;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.ServerProcess;
import dev.refrain.testing.TestServer;
import dev.refrain.tls.TestPki.Issued;
import dev.refrain.tls.TestPki.KeyFormat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server over HTTPS on loopback, from PEM files made here (root, intermediate, server: a
 * real chain): HTTP/2 and HTTP/1.1 on one port, only modern TLS, https URLs, the plain listener
 * beside it, and the start refused with a clear line for a missing or mismatched file.
 */
// Runs once, in the default execution: TLS does not depend on the store.
@RunsOnce
class HttpsServerTest {
  private static final Issued ROOT = TestPki.root("Refrain Test Root");
  private static final Issued INTERMEDIATE = TestPki.intermediate(ROOT, "Refrain Test Intermediate");
  private static Issued leaf;
  private static TestServer ts;
  private static int httpPort;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("refrain-https-");
    leaf = TestPki.server(INTERMEDIATE, TestPki.rsa()); // RSA in PKCS#1: the ECDHE_RSA suites
    Files.writeString(dir.resolve("chain.pem"), TestPki.pem(leaf.cert(), INTERMEDIATE.cert()));
    Files.writeString(dir.resolve("key.pem"), TestPki.pem(leaf.key(), KeyFormat.TRADITIONAL));
    httpPort = ServerProcess.freePort();
    GateEngine.open();
    ts = TestServer.start(dir, Map.of("REFRAIN_TLS_CERT", dir.resolve("chain.pem").toString(), "REFRAIN_TLS_KEY",
        dir.resolve("key.pem").toString(), "REFRAIN_HTTP_PORT", Integer.toString(httpPort), "REFRAIN_ENGINE", "gate",
        "REFRAIN_IDLE_TIMEOUT", "1s", "REFRAIN_HEADER_TIMEOUT", "2s"));
    key = ts.newKey();
  }

  @AfterAll
  static void stop() {
    GateEngine.open();
    if (ts != null) ts.close();
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(TestPki.trusting(ROOT.cert())).version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static String https(String path) {
    return "https://localhost:" + ts.server.port() + path;
  }

  private static HttpResponse<String> get(HttpClient c, String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) b.headers(headers);
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode post(HttpClient c, String path, String json) throws Exception {
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(https(path))).timeout(Duration.ofSeconds(20))
        .header("x-api-key", key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("data");
  }

  @Test
  void http2AndHttp11AnswerOnTheSamePortWithTheWholeChain() throws Exception {
    HttpResponse<String> h2 = get(client(HttpClient.Version.HTTP_2), https("/healthz"));
    assertThat(h2.statusCode()).isEqualTo(200);
    assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(h2.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(h2.sslSession().orElseThrow().getPeerCertificates()).containsExactly(leaf.cert(), INTERMEDIATE.cert());
    HttpResponse<String> h1 = get(client(HttpClient.Version.HTTP_1_1), https("/healthz"));
    assertThat(h1.statusCode()).isEqualTo(200);
    assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    // By address too: the certificate names 127.0.0.1.
    assertThat(get(client(HttpClient.Version.HTTP_2), "https://127.0.0.1:" + ts.server.port() + "/healthz").statusCode()).isEqualTo(200);
  }

  /** As curl, Node.js and Python ask: by ALPN, for each protocol by its registered name. */
  @Test
  void eachProtocolIsChosenByItsAlpnName() throws Exception {
    for (String protocol : new String[] {"http/1.1", "h2"}) {
      try (SSLSocket s = socket()) {
        javax.net.ssl.SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {protocol});
        s.setSSLParameters(p);
        s.startHandshake();
        assertThat(s.getApplicationProtocol()).isEqualTo(protocol);
        if (protocol.equals("http/1.1")) {
          s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 ");
        }
      }
    }
  }

  @Test
  void tls12IsTakenWithAeadCiphersOnly() throws Exception {
    try (SSLSocket s = socket()) {
      s.setEnabledProtocols(new String[] {"TLSv1.2"});
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(ServerTls.CIPHER_SUITES).contains(s.getSession().getCipherSuite());
      assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_");
    }
    try (SSLSocket s = socket()) {
      s.setEnabledProtocols(new String[] {"TLSv1.2"});
      s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"});
      assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void aClientOfferingOnlyTls11OrTls10IsRefused() throws Exception {
    // Written by hand: the JDK's own client will not even offer TLS 1.1 any more.
    for (int version : new int[] {0x0302, 0x0301}) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", ts.server.port()), 5000);
        s.setSoTimeout(5000);
        s.getOutputStream().write(clientHello(version));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        int type = in.read();
        // An alert (21) or the connection closed; never a handshake record (22) carrying a ServerHello.
        assertThat(type).as("record type answering a ClientHello of version %x", version).isIn(21, -1);
      }
    }
  }

  @Test
  void theUrlsHandedOutAreHttps() throws Exception {
    HttpClient c = client(HttpClient.Version.HTTP_2);
    byte[] flac = TestAudio.encoded("flac", TestAudio.tone(3.0, 44100, 2, 440));
    String upload = post(c, "/api/ephemeral_resource", Json.MAPPER.writeValueAsString(Map.of("file_name", "in.flac", "file_data",
        Base64.getEncoder().encodeToString(flac)))).path("url").asText();
    assertThat(upload).startsWith(https("/files/uploads/"));
    String id = post(c, "/api/v1/task", "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\","
        + "\"duration\":10}}").path("task_id").asText();
    JsonNode task = null;
    for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
      task = Json.MAPPER.readTree(get(c, https("/api/v1/task/" + id), "x-api-key", key).body()).path("data");
      if (task.path("status").asText().equals("completed") || task.path("status").asText().equals("failed")) break;
    }
    assertThat(task.path("status").asText()).as("%s", task).isEqualTo("completed");
    String audio = task.path("output").path("audio_url").asText();
    assertThat(audio).startsWith(https("/files/outputs/"));
    HttpResponse<byte[]> file = c.send(HttpRequest.newBuilder(URI.create(audio)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(file.body().length).isGreaterThan(1000);
  }

  @Test
  void aLongAnswerOverHttp2OutlivesTheIdleTimeout() throws Exception {
    GateEngine.close();
    try {
      HttpClient c = client(HttpClient.Version.HTTP_2);
      String id = post(c, "/api/v1/task", "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\","
          + "\"duration\":10}}").path("task_id").asText();
      long t0 = System.nanoTime();
      HttpResponse<String> held = get(c, https("/api/v1/task/" + id), "x-api-key", key, "Prefer", "wait=3");
      assertThat(held.statusCode()).isEqualTo(200);
      assertThat(held.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(2500)); // three times the idle timeout
    } finally {
      GateEngine.open();
    }
  }

  @Test
  void theHttp2ConnectionBoundsItsHeaders() throws Exception {
    HttpClient c = client(HttpClient.Version.HTTP_2);
    // Past the request-header size HTTP/1.1 has (Jetty's 8 KiB): refused, and the server goes on.
    String big = "x".repeat(20_000);
    try {
      HttpResponse<String> r = get(c, https("/healthz"), "X-Big", big);
      assertThat(r.statusCode()).isEqualTo(431);
    } catch (IOException reset) {
      // A reset stream is a refusal too.
    }
    assertThat(get(c, https("/healthz")).statusCode()).isEqualTo(200);
  }

  @Test
  void aTrickledHandshakeIsCutOffAtTheHeaderDeadline() throws Exception {
    try (Socket s = new Socket("127.0.0.1", ts.server.port())) {
      byte[] hello = clientHello(0x0303);
      // A byte every 300 ms: never idle for the 1 s idle timeout, never done.
      assertThat(closedWhileTrickling(s, i -> i < hello.length ? new byte[] {hello[i]} : null)).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(6));
    }
  }

  @Test
  void aTrickledRequestHeadOverTlsIsCutOffAtTheHeaderDeadline() throws Exception {
    try (SSLSocket s = socket()) {
      s.startHandshake();
      s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(closedWhileTrickling(s, i -> ("X-Slow-" + i + ": 1\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .isBetween(Duration.ofMillis(1800), Duration.ofSeconds(6));
    }
  }

  /** Sends what {@code next} gives every 300 ms until the server closes the connection; how long that took. */
  private static Duration closedWhileTrickling(Socket s, java.util.function.IntFunction<byte[]> next) throws Exception {
    long t0 = System.nanoTime();
    Thread trickle = Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; ; i++) {
          byte[] b = next.apply(i);
          if (b == null) return;
          s.getOutputStream().write(b);
          s.getOutputStream().flush();
          Thread.sleep(300);
        }
      } catch (IOException | InterruptedException closed) {
        // the server hung up
      }
    });
    try {
      s.setSoTimeout(10_000);
      try {
        while (s.getInputStream().read() >= 0) {
          // an alert or an answer would come first; read on to the end
        }
      } catch (IOException reset) {
        // closed with a reset, or the TLS layer saw the end
      }
      return Duration.ofNanos(System.nanoTime() - t0);
    } finally {
      trickle.interrupt();
    }
  }

  @Test
  void thePlainListenerAnswersHealthChecks() throws Exception {
    HttpResponse<String> r = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + httpPort + "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ts.server.httpPort()).isEqualTo(httpPort);
    assertThat(ts.server.baseUrl()).isEqualTo("https://localhost:" + ts.server.port());
  }

  @Test
  void aMissingOrMismatchedFileStopsTheStartNamingTheSetting() throws Exception {
    Path dir = Files.createTempDirectory("refrain-https-bad-");
    Path cert = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(cert, TestPki.pem(leaf.cert(), INTERMEDIATE.cert()));
    Map<String, String> files = Map.of("REFRAIN_TLS_CERT", cert.toString(), "REFRAIN_TLS_KEY", keyFile.toString());
    assertThatThrownBy(() -> TestServer.start(dir, files)).isInstanceOf(StartException.class)
        .hasMessage("HTTPS: REFRAIN_TLS_KEY (" + keyFile + "): no such file");
    Files.writeString(keyFile, TestPki.pem(TestPki.rsa().getPrivate(), KeyFormat.PKCS8));
    assertThatThrownBy(() -> TestServer.start(dir, files)).isInstanceOf(StartException.class)
        .hasMessageStartingWith("HTTPS: REFRAIN_TLS_KEY (" + keyFile + ") does not match the certificate in REFRAIN_TLS_CERT (" + cert + ")");
    Files.writeString(keyFile, "not a key");
    assertThatThrownBy(() -> TestServer.start(dir, files)).hasMessageContaining("REFRAIN_TLS_KEY (" + keyFile + "): holds no private key");
    // Without TLS the same data dir serves plain HTTP, as ever.
    try (TestServer again = TestServer.start(dir, Map.of())) {
      assertThat(again.server.baseUrl()).startsWith("http://");
    }
  }

  private static SSLSocket socket() throws IOException {
    SSLSocket s = (SSLSocket) TestPki.trusting(ROOT.cert()).getSocketFactory().createSocket("127.0.0.1", ts.server.port());
    s.setSoTimeout(5000);
    return s;
  }

  /** A TLS ClientHello of {@code version} (0x0302 for TLS 1.1) offering ECDHE and RSA suites with CBC, the best those versions had. */
  static byte[] clientHello(int version) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream b = new DataOutputStream(body);
    b.writeShort(version);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    b.write(random);
    b.writeByte(0); // no session id
    int[] suites = {0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035};
    b.writeShort(suites.length * 2);
    for (int suite : suites) b.writeShort(suite);
    b.writeByte(1);
    b.writeByte(0); // null compression
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    DataOutputStream e = new DataOutputStream(ext);
    e.writeShort(0x000a); // supported_groups: secp256r1, x25519
    e.writeShort(6);
    e.writeShort(4);
    e.writeShort(0x0017);
    e.writeShort(0x001d);
    e.writeShort(0x000b); // ec_point_formats: uncompressed
    e.writeShort(2);
    e.writeByte(1);
    e.writeByte(0);
    b.writeShort(ext.size());
    b.write(ext.toByteArray());
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    DataOutputStream r = new DataOutputStream(record);
    r.writeByte(22); // handshake
    r.writeShort(0x0301);
    r.writeShort(body.size() + 4);
    r.writeByte(1); // ClientHello
    r.writeByte(0);
    r.writeShort(body.size());
    r.write(body.toByteArray());
    return record.toByteArray();
  }
}
