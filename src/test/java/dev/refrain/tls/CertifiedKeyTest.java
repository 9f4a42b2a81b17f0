package dev.refrain.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.tls.TestPki.Issued;
import dev.refrain.tls.TestPki.KeyFormat;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a certificate chain and its key from PEM: the formats operators have, and the mistakes they make. */
class CertifiedKeyTest {
  private static final Issued ROOT = TestPki.root("Test Root");
  private static final Issued INTERMEDIATE = TestPki.intermediate(ROOT, "Test Intermediate");

  @TempDir
  Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static CertifiedKey parse(String cert, String key) {
    return CertifiedKey.parse(bytes(cert), "REFRAIN_TLS_CERT (c.pem)", bytes(key), "REFRAIN_TLS_KEY (k.pem)");
  }

  @Test
  void everyKeyFormatIsRead() {
    for (KeyPair kp : new KeyPair[] {TestPki.ec(), TestPki.rsa()}) {
      Issued leaf = TestPki.server(INTERMEDIATE, kp);
      String chain = TestPki.pem(leaf.cert(), INTERMEDIATE.cert());
      for (KeyFormat f : KeyFormat.values()) {
        String key = TestPki.pem(kp.getPrivate(), f);
        assertThat(key).contains(f == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY"
            : kp.getPrivate().getAlgorithm().equals("RSA") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
        CertifiedKey pair = parse(chain, key);
        assertThat(pair.chain()).containsExactly(leaf.cert(), INTERMEDIATE.cert());
        assertThat(pair.leaf()).isEqualTo(leaf.cert());
        assertThat(pair.key().getAlgorithm()).isEqualTo(kp.getPrivate().getAlgorithm());
      }
    }
  }

  @Test
  void anEcKeyAfterItsParametersBlockAndACombinedFileAreRead() throws Exception {
    KeyPair kp = TestPki.ec();
    Issued leaf = TestPki.server(INTERMEDIATE, kp);
    // As `openssl ecparam -genkey -name prime256v1` writes it.
    String sec1 = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + TestPki.pem(kp.getPrivate(), KeyFormat.TRADITIONAL);
    assertThat(parse(TestPki.pem(leaf.cert()), sec1).leaf()).isEqualTo(leaf.cert());
    // A SEC1 key that leaves its curve to that block.
    StringWriter bare = new StringWriter();
    try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(bare)) {
      w.writeObject(kp.getPrivate());
    }
    String params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    assertThat(parse(TestPki.pem(leaf.cert()), params + bare).leaf()).isEqualTo(leaf.cert());
    // Certificate and key in one file, named by both settings.
    String both = TestPki.pem(leaf.cert(), INTERMEDIATE.cert()) + TestPki.pem(kp.getPrivate(), KeyFormat.PKCS8);
    assertThat(parse(both, both).chain()).hasSize(2);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothSettings() {
    Issued leaf = TestPki.server(INTERMEDIATE, TestPki.ec());
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert()), TestPki.pem(TestPki.ec().getPrivate(), KeyFormat.PKCS8)))
        .isInstanceOf(TlsException.class)
        .hasMessageStartingWith("REFRAIN_TLS_KEY (k.pem) does not match the certificate in REFRAIN_TLS_CERT (c.pem) (CN=localhost");
    // Another algorithm altogether.
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert()), TestPki.pem(TestPki.rsa().getPrivate(), KeyFormat.TRADITIONAL)))
        .hasMessageContaining("does not match the certificate");
  }

  @Test
  void aChainOutOfOrderIsRefused() {
    Issued leaf = TestPki.server(INTERMEDIATE, TestPki.ec());
    String key = TestPki.pem(leaf.key(), KeyFormat.PKCS8);
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert(), ROOT.cert()), key))
        .hasMessageContaining("REFRAIN_TLS_CERT (c.pem): certificate 2 (CN=Test Root) did not issue certificate 1 (CN=localhost)");
    // The root may come last: it is in order.
    assertThat(parse(TestPki.pem(leaf.cert(), INTERMEDIATE.cert(), ROOT.cert()), key).chain()).hasSize(3);
  }

  @Test
  void filesThatAreNotThereOrNotPemAreNamed() throws Exception {
    assertThatThrownBy(() -> CertifiedKey.read(dir.resolve("none.pem"), "REFRAIN_TLS_CERT (none.pem)", dir.resolve("k"), "REFRAIN_TLS_KEY (k)"))
        .hasMessage("REFRAIN_TLS_CERT (none.pem): no such file");
    Path folder = Files.createDirectory(dir.resolve("folder"));
    assertThatThrownBy(() -> CertifiedKey.read(folder, "REFRAIN_TLS_CERT (folder)", dir.resolve("k"), "REFRAIN_TLS_KEY (k)"))
        .hasMessageContaining("is a folder");
    assertThatThrownBy(() -> parse("hello", "x")).hasMessageContaining("REFRAIN_TLS_CERT (c.pem): holds no certificate");
    Issued leaf = TestPki.server(INTERMEDIATE, TestPki.ec());
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert()), TestPki.pem(leaf.cert())))
        .hasMessageContaining("REFRAIN_TLS_KEY (k.pem): holds no private key");
    assertThatThrownBy(() -> parse("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "x"))
        .hasMessageContaining("REFRAIN_TLS_CERT (c.pem): not a readable PEM certificate chain");
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert()), encrypted(leaf.key())))
        .hasMessageContaining("REFRAIN_TLS_KEY (k.pem): the private key is encrypted");
    String two = TestPki.pem(leaf.key(), KeyFormat.PKCS8) + TestPki.pem(leaf.key(), KeyFormat.TRADITIONAL);
    assertThatThrownBy(() -> parse(TestPki.pem(leaf.cert()), two)).hasMessageContaining("more than one private key");
  }

  private static String encrypted(java.security.PrivateKey key) throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key,
          new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
    }
    assertThat(out.toString()).contains("BEGIN ENCRYPTED PRIVATE KEY");
    return out.toString();
  }

  @Test
  void itsTextNeverShowsTheKey() {
    KeyPair kp = TestPki.rsa();
    Issued leaf = TestPki.server(INTERMEDIATE, kp);
    CertifiedKey pair = parse(TestPki.pem(leaf.cert(), INTERMEDIATE.cert()), TestPki.pem(kp.getPrivate(), KeyFormat.PKCS8));
    String exponent = ((java.security.interfaces.RSAPrivateKey) kp.getPrivate()).getPrivateExponent().toString(16);
    assertThat(pair.toString()).contains("CN=localhost").contains(CertifiedKey.serial(leaf.cert()))
        .doesNotContainIgnoringCase(exponent.substring(0, 16));
  }
}
