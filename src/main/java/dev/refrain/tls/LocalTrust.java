package dev.refrain.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What Refrain's own clients (the task CLI, the stdio MCP server) trust: the JDK's authorities, and
 * this machine's local CA when the data dir has one, so they reach a server started with
 * REFRAIN_TLS_LOCAL without anyone editing the JDK's trust store. The CA may issue only for the
 * loopback names, so trusting it trusts nothing else.
 */
public final class LocalTrust {
  private LocalTrust() {}

  /** A client context trusting the JDK's authorities and {@code <dataDir>/tls/ca.pem}; empty when there is no such CA. */
  public static Optional<SSLContext> forDataDir(Path dataDir) {
    Path ca = dataDir.resolve(LocalCa.FOLDER).resolve(LocalCa.CA_FILE);
    if (!Files.isRegularFile(ca)) return Optional.empty();
    try (InputStream in = Files.newInputStream(ca)) {
      X509Certificate local = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      X509Certificate[] jdk = jdkTrustManager().getAcceptedIssuers();
      for (int i = 0; i < jdk.length; i++) trusted.setCertificateEntry("jdk-" + i, jdk[i]);
      trusted.setCertificateEntry("refrain-local-ca", local);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return Optional.of(context);
    } catch (Exception e) {
      throw new TlsException("the local CA " + ca + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager jdkTrustManager() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (var tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
    throw new IllegalStateException("the JDK has no X.509 trust manager");
  }
}
