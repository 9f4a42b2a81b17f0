package dev.refrain.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the HTTPS listener: Jetty's {@link SslContextFactory.Server} with modern settings
 * only (TLS 1.3, and TLS 1.2 with ECDHE and AEAD ciphers), serving a certificate chain and key from
 * two PEM files. The files are read again every few seconds; when they change and the new pair
 * parses and matches, new connections get it (open ones keep theirs). A pair that does not (a
 * certificate written before its key, a broken file) is not taken: the one being served stays, and a
 * pair still wrong at the next look is logged as a warning, once.
 */
public final class ServerTls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** Newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * TLS 1.3's AEAD suites, then TLS 1.2's with forward secrecy (ECDHE) and AEAD (AES-GCM,
   * ChaCha20-Poly1305) only: no CBC, no static RSA, no SHA-1 MACs. In the server's order of preference.
   */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** How often the files are looked at. */
  public static final Duration POLL = Duration.ofSeconds(2);
  /** How often the local CA's server certificate is checked for renewal. */
  static final Duration RENEW_CHECK = Duration.ofHours(1);

  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final Path certFile;
  private final String certName;
  private final Path keyFile;
  private final String keyName;
  private final Clock clock;
  private final LocalCa localCa;
  private final ScheduledExecutorService poller;
  private volatile CertifiedKey current;
  // Only the poller thread touches these after the start.
  private byte[] servedDigest;
  private byte[] failedDigest;
  private boolean warned;

  private ServerTls(Path certFile, String certName, Path keyFile, String keyName, LocalCa localCa, Duration poll, Clock clock) {
    this.certFile = certFile;
    this.certName = certName;
    this.keyFile = keyFile;
    this.keyName = keyName;
    this.localCa = localCa;
    this.clock = clock;
    Snapshot first = Snapshot.read(this);
    CertifiedKey pair = first.parse(this);
    if (pair.expiredAt(clock.instant())) {
      log.warn("{}: the certificate expired on {}; clients will refuse it until it is replaced", certName, pair.leaf().getNotAfter().toInstant());
    }
    factory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
    factory.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
    factory.setUseCipherSuitesOrder(true);
    factory.setRenegotiationAllowed(false);
    factory.setSniRequired(false);
    install(pair);
    this.current = pair;
    this.servedDigest = first.digest;
    log.info("HTTPS with {}", pair.describe());
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("tls-reload").unstarted(r));
    poller.scheduleWithFixedDelay(this::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    if (localCa != null) {
      poller.scheduleWithFixedDelay(this::renew, RENEW_CHECK.toMillis(), RENEW_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Serves the operator's files (REFRAIN_TLS_CERT, REFRAIN_TLS_KEY), looked at every {@code poll}.
   *
   * @throws TlsException naming the setting, when a file is missing, unreadable, not PEM, or the key is not the certificate's
   */
  public static ServerTls fromFiles(Path cert, Path key, Duration poll) {
    return new ServerTls(cert, "REFRAIN_TLS_CERT (" + cert + ")", key, "REFRAIN_TLS_KEY (" + key + ")", null, poll, Clock.systemUTC());
  }

  /** Serves the local CA's server certificate (REFRAIN_TLS_LOCAL), renewed as it nears its end. */
  public static ServerTls local(LocalCa ca, Duration poll) {
    return new ServerTls(ca.serverCertificate(), "REFRAIN_TLS_LOCAL's " + ca.serverCertificate(), ca.serverKey(),
        "REFRAIN_TLS_LOCAL's " + ca.serverKey(), ca, poll, Clock.systemUTC());
  }

  /** What the HTTPS connector serves with; {@code api.Connections} builds the connector around it. */
  public SslContextFactory.Server sslContextFactory() {
    return factory;
  }

  /** The pair being served to new connections. */
  public CertifiedKey current() {
    return current;
  }

  /** The local CA, when REFRAIN_TLS_LOCAL made the certificate. */
  public Optional<LocalCa> localCa() {
    return Optional.ofNullable(localCa);
  }

  /** One look at the files; runs on the poller thread. */
  private void poll() {
    try {
      Snapshot now;
      try {
        now = Snapshot.read(this);
      } catch (TlsException e) {
        refused(e, Snapshot.digestOf(e.getMessage())); // a file gone (mid-rotation, or for good)
        return;
      }
      if (Arrays.equals(now.digest, servedDigest)) {
        failedDigest = null;
        return;
      }
      CertifiedKey next;
      try {
        next = now.parse(this);
        if (next.expiredAt(clock.instant())) {
          throw new TlsException(certName + ": the certificate expired on " + next.leaf().getNotAfter().toInstant());
        }
      } catch (TlsException e) {
        refused(e, now.digest);
        return;
      }
      CertifiedKey before = current;
      install(next);
      current = next;
      servedDigest = now.digest;
      failedDigest = null;
      log.info("HTTPS certificate reloaded: {} (was serial {})", next.describe(), CertifiedKey.serial(before.leaf()));
    } catch (RuntimeException e) {
      log.warn("looking at {} and {} failed; serving {} as before", certFile, keyFile, current.describe(), e);
    }
  }

  /**
   * A new pair that cannot be served. The first time it is seen it may be half written (a certificate
   * already there, its key not yet): only when the same failure is still there at the next look is it
   * logged, as a warning, once until the files change again.
   */
  private void refused(TlsException e, byte[] failure) {
    if (Arrays.equals(failedDigest, failure)) {
      if (!warned) {
        log.warn("not reloading HTTPS: {}; still serving {}", e.getMessage(), current.describe());
        warned = true;
      }
    } else {
      log.debug("HTTPS files changed but cannot be served yet: {}", e.getMessage());
      failedDigest = failure;
      warned = false;
    }
  }

  private void renew() {
    try {
      localCa.ensure(); // rewrites the pair when due; the next poll takes it
    } catch (RuntimeException e) {
      log.warn("renewing the local server certificate failed; serving {} as before: {}", current.describe(), e.getMessage());
    }
  }

  /** Puts {@code pair} into the factory: at the start before Jetty starts it, later through Jetty's reload. */
  private void install(CertifiedKey pair) {
    char[] password = password();
    KeyStore ks = pair.keyStore(password);
    if (!factory.isStarted() && !factory.isStarting()) {
      factory.setKeyStore(ks);
      factory.setKeyStorePassword(new String(password));
      return;
    }
    try {
      factory.reload(f -> {
        f.setKeyStore(ks);
        f.setKeyStorePassword(new String(password));
      });
    } catch (Exception e) {
      // Checked beforehand, so not expected; put the served pair back rather than serve nothing.
      CertifiedKey old = current;
      char[] p = password();
      KeyStore back = old.keyStore(p);
      try {
        factory.reload(f -> {
          f.setKeyStore(back);
          f.setKeyStorePassword(new String(p));
        });
      } catch (Exception again) {
        e.addSuppressed(again);
      }
      throw new TlsException("Jetty refused the new certificate: " + e.getMessage(), e);
    }
  }

  /** The in-memory key store's password: random, never written anywhere. */
  private static char[] password() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b).toCharArray();
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Both files' bytes as read together, and a digest of them that tells whether anything changed. */
  private record Snapshot(byte[] cert, byte[] key, byte[] digest) {
    static Snapshot read(ServerTls t) {
      byte[] cert = Pem.read(t.certFile, t.certName);
      byte[] key = Pem.read(t.keyFile, t.keyName);
      MessageDigest d = sha256();
      d.update(cert);
      d.update((byte) 0);
      d.update(key);
      return new Snapshot(cert, key, d.digest());
    }

    CertifiedKey parse(ServerTls t) {
      return CertifiedKey.parse(cert, t.certName, key, t.keyName);
    }

    static byte[] digestOf(String text) {
      return sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
