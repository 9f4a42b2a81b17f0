package dev.refrain.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;

/**
 * A server certificate chain (the server's own certificate first, then each issuer in turn) and the
 * private key of its first certificate, checked to belong together.
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {
  public CertifiedKey {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) throw new IllegalArgumentException("no certificate");
  }

  /**
   * Reads and checks a pair of PEM files; {@code certName} and {@code keyName} (a setting, or the file
   * itself) start every error's message.
   */
  public static CertifiedKey read(Path certFile, String certName, Path keyFile, String keyName) {
    return parse(Pem.read(certFile, certName), certName, Pem.read(keyFile, keyName), keyName);
  }

  /** Parses and checks PEM text: the chain is in order, and the key is the first certificate's. */
  public static CertifiedKey parse(byte[] certPem, String certName, byte[] keyPem, String keyName) {
    List<X509Certificate> chain = Pem.certificates(certPem, certName);
    PrivateKey key = Pem.privateKey(keyPem, keyName);
    checkOrder(chain, certName);
    checkMatch(key, chain.getFirst(), certName, keyName);
    return new CertifiedKey(key, chain);
  }

  /** The server's own certificate. */
  public X509Certificate leaf() {
    return chain.getFirst();
  }

  /** Whether the server's certificate is past its end at {@code now}. */
  public boolean expiredAt(Instant now) {
    return leaf().getNotAfter().toInstant().isBefore(now);
  }

  /** For the log: subject, serial and validity; nothing secret. */
  public String describe() {
    X509Certificate c = leaf();
    return c.getSubjectX500Principal().getName() + ", serial " + serial(c) + ", valid until " + c.getNotAfter().toInstant()
        + (chain.size() > 1 ? ", issued by " + c.getIssuerX500Principal().getName() + " (" + (chain.size() - 1) + " more in the chain)" : "");
  }

  /** A certificate's serial number in hex, as browsers and openssl show it. */
  public static String serial(X509Certificate c) {
    return c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }

  /** An in-memory key store holding this pair under {@code password}; ready for a KeyManagerFactory. */
  KeyStore keyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
      // What Jetty will do with it, done now: a pair the JDK's TLS refuses fails here, not in the middle of a reload.
      KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).init(ks, password);
      return ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsException("the certificate and key cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  /** Never the key: records print their parts, and this one may end up in a log. */
  @Override
  public String toString() {
    return "CertifiedKey[" + describe() + "]";
  }

  /** Each certificate must be issued (named and signed) by the next: clients do not sort them. */
  private static void checkOrder(List<X509Certificate> chain, String certName) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      X509Certificate issuer = chain.get(i + 1);
      boolean named = c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
      boolean signed = false;
      if (named) {
        try {
          c.verify(issuer.getPublicKey());
          signed = true;
        } catch (GeneralSecurityException e) {
          signed = false;
        }
      }
      if (!signed) {
        throw new TlsException(certName + ": certificate " + (i + 2) + " (" + issuer.getSubjectX500Principal().getName()
            + ") did not issue certificate " + (i + 1) + " (" + c.getSubjectX500Principal().getName()
            + "); the file must hold the server's certificate first, then each issuer in turn");
      }
    }
  }

  /** The key signs, the certificate's public key verifies: works for every key type, whatever its encoding. */
  private static void checkMatch(PrivateKey key, X509Certificate leaf, String certName, String keyName) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
      default -> throw new TlsException(keyName + ": a " + key.getAlgorithm() + " key; TLS here takes an RSA, EC or EdDSA key");
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature sign = Signature.getInstance(alg);
      sign.initSign(key);
      sign.update(challenge);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(alg);
      verify.initVerify(leaf.getPublicKey());
      verify.update(challenge);
      matches = verify.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false; // e.g. an RSA key against an EC certificate
    }
    if (!matches) {
      throw new TlsException(keyName + " does not match the certificate in " + certName + " (" + leaf.getSubjectX500Principal().getName()
          + ", public key " + fingerprint(leaf) + ")");
    }
  }

  /** The first bytes of the SHA-256 of the certificate's public key, to tell certificates apart in a message. */
  private static String fingerprint(X509Certificate c) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded());
      return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
    } catch (GeneralSecurityException e) {
      return c.getPublicKey().getAlgorithm();
    }
  }
}
