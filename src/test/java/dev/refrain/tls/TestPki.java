package dev.refrain.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for tests: a root, an intermediate under it and server certificates under that, as PEM files. */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate and its key pair. */
  public record Issued(X509Certificate cert, KeyPair keys) {
    public PrivateKey key() {
      return keys.getPrivate();
    }
  }

  /** How a key is written: PKCS#8 (BEGIN PRIVATE KEY) or the traditional form (PKCS#1 for RSA, SEC1 for EC). */
  public enum KeyFormat { PKCS8, TRADITIONAL }

  private TestPki() {}

  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Issued root(String cn) {
    KeyPair kp = ec();
    X500Name name = new X500Name("CN=" + cn);
    return new Issued(build(name, name, kp.getPublic(), kp.getPrivate(), true, Duration.ofDays(30)), kp);
  }

  public static Issued intermediate(Issued issuer, String cn) {
    KeyPair kp = ec();
    return new Issued(build(subject(issuer), new X500Name("CN=" + cn), kp.getPublic(), issuer.key(), true, Duration.ofDays(30)), kp);
  }

  /** A server certificate for localhost, 127.0.0.1 and ::1 with the given key pair. */
  public static Issued server(Issued issuer, KeyPair kp, Duration validity) {
    return new Issued(build(subject(issuer), new X500Name("CN=localhost"), kp.getPublic(), issuer.key(), false, validity), kp);
  }

  public static Issued server(Issued issuer, KeyPair kp) {
    return server(issuer, kp, Duration.ofDays(10));
  }

  private static X500Name subject(Issued i) {
    return X500Name.getInstance(i.cert().getSubjectX500Principal().getEncoded());
  }

  private static X509Certificate build(X500Name issuer, X500Name subject, java.security.PublicKey key, PrivateKey signer, boolean ca,
      Duration validity) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, key);
      b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(1) : new BasicConstraints(false));
      if (ca) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1")}));
      }
      String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(X509Certificate... chain) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (X509Certificate c : chain) w.writeObject(c);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  public static String pem(PrivateKey key, KeyFormat format) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (format == KeyFormat.PKCS8) w.writeObject(new JcaPKCS8Generator(key, null));
      else if (key instanceof java.security.interfaces.ECPrivateKey ec) w.writeObject(sec1(ec));
      else w.writeObject(key); // BouncyCastle writes a bare RSA key as PKCS#1
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** SEC1 as OpenSSL writes it: the curve named inside (the JDK's own encoding leaves it to PKCS#8's wrapper). */
  private static org.bouncycastle.util.io.pem.PemObject sec1(java.security.interfaces.ECPrivateKey key) throws IOException {
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    var curve = info.getPrivateKeyAlgorithm().getParameters();
    return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY",
        new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), curve).getEncoded());
  }

  /** Writes {@code text} to {@code file} in one step, as a careful deployment tool would. */
  public static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** A client TLS context that trusts {@code roots} only. A new one each call: no session is resumed across calls. */
  public static SSLContext trusting(X509Certificate... roots) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < roots.length; i++) ks.setCertificateEntry("root" + i, roots[i]);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server TLS context presenting {@code server} and then its issuers (a TLS-terminating proxy's, say). */
  public static SSLContext serving(Issued server, X509Certificate... issuers) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      java.security.cert.Certificate[] chain = new java.security.cert.Certificate[issuers.length + 1];
      chain[0] = server.cert();
      System.arraycopy(issuers, 0, chain, 1, issuers.length);
      char[] password = "x".toCharArray();
      ks.setKeyEntry("server", server.key(), password, chain);
      javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the one certificate of a PEM file. */
  public static X509Certificate readCert(Path file) throws Exception {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
