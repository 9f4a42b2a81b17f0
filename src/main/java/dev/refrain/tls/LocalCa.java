package dev.refrain.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code REFRAIN_TLS_LOCAL}: a certificate authority made for this machine (EC P-256, ten years) and a
 * server certificate it issues for {@code localhost}, {@code 127.0.0.1} and {@code ::1} (a year),
 * kept in one folder of the data dir and reused by every later start. The server certificate is made
 * again when it nears its end, no longer matches its key, or was issued by another CA. The CA may
 * only issue for those loopback names (name constraints), so trusting it trusts nothing else; its key
 * is written readable by this user alone and never leaves the folder.
 */
public final class LocalCa {
  private static final Logger log = LoggerFactory.getLogger(LocalCa.class);
  /** Where under the data dir the CA and its server certificate live. */
  public static final String FOLDER = "tls";
  static final String CA_FILE = "ca.pem";

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  /** A certificate with less left than this is made anew (at start, and by the hourly check). */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** Clocks of clients and server differ a little: certificates start this long before they are made. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  static final String DNS_NAME = "localhost";
  static final List<String> IP_NAMES = List.of("127.0.0.1", "::1");

  private final Path dir;
  private final Clock clock;
  private boolean madeCa;

  private LocalCa(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /**
   * The CA in {@code dir}, made there on first use, with a server certificate fit to serve. A CA
   * file that is there but unreadable, or without its key, stops the start (clients may trust it):
   * it is never replaced silently, only once expired.
   */
  public static LocalCa open(Path dir, Clock clock) {
    LocalCa ca = new LocalCa(dir, clock);
    ca.ensure();
    return ca;
  }

  public Path folder() {
    return dir;
  }

  /** The CA's certificate: what clients are told to trust. */
  public Path caCertificate() {
    return dir.resolve(CA_FILE);
  }

  Path caKey() {
    return dir.resolve("ca-key.pem");
  }

  /** The server's certificate chain, for {@link ServerTls}. */
  public Path serverCertificate() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server-key.pem");
  }

  /** Whether this start made the CA (so no client trusts it yet). */
  public boolean madeCa() {
    return madeCa;
  }

  /**
   * Makes the CA if there is none (or it expired) and the server certificate if it is missing, unusable
   * or near its end; the files are rewritten whole, so the reloading server picks the new pair up.
   * Locked against another process doing the same in the same folder.
   */
  public synchronized void ensure() {
    try {
      Files.createDirectories(dir);
      if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        CertifiedKey ca = loadOrMakeCa();
        if (!serverFits(ca)) makeServer(ca);
      }
    } catch (IOException e) {
      throw new TlsException("REFRAIN_TLS_LOCAL: cannot write the local CA's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private CertifiedKey loadOrMakeCa() throws IOException {
    Path cert = caCertificate();
    Path key = caKey();
    boolean hasCert = Files.exists(cert);
    boolean hasKey = Files.exists(key);
    if (hasCert || hasKey) {
      if (!hasCert || !hasKey) {
        throw new TlsException("REFRAIN_TLS_LOCAL: " + (hasCert ? key : cert) + " is missing beside " + (hasCert ? cert : key)
            + "; restore it, or delete both to make a new local CA (which clients must then trust again)");
      }
      CertifiedKey ca = CertifiedKey.read(cert, "REFRAIN_TLS_LOCAL's CA certificate (" + cert + ")", key, "REFRAIN_TLS_LOCAL's CA key (" + key + ")");
      if (!ca.expiredAt(clock.instant())) return ca;
      log.warn("the local CA in {} expired on {}: making a new one, which clients must trust again", dir, ca.leaf().getNotAfter().toInstant());
    }
    CertifiedKey ca = makeCa();
    madeCa = true;
    log.info("made a local CA for HTTPS: {} (valid until {}); clients must trust it", cert, ca.leaf().getNotAfter().toInstant());
    return ca;
  }

  /** The server pair on disk is ours to use: readable, matching, issued by {@code ca}, for our names, not near its end. */
  private boolean serverFits(CertifiedKey ca) {
    if (!Files.exists(serverCertificate()) || !Files.exists(serverKey())) return false;
    try {
      CertifiedKey server = CertifiedKey.read(serverCertificate(), serverCertificate().toString(), serverKey(), serverKey().toString());
      X509Certificate leaf = server.leaf();
      if (!leaf.getIssuerX500Principal().equals(ca.leaf().getSubjectX500Principal())) return why("its CA changed");
      try {
        leaf.verify(ca.leaf().getPublicKey());
      } catch (GeneralSecurityException e) {
        return why("its CA changed");
      }
      if (leaf.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) return why("it is near its end");
      if (!names(leaf).containsAll(wantedNames())) return why("it lacks some of the names");
      return true;
    } catch (TlsException e) {
      return why(e.getMessage());
    }
  }

  private boolean why(String reason) {
    log.info("making a new server certificate from the local CA in {}: {}", dir, reason);
    return false;
  }

  private CertifiedKey makeCa() throws IOException {
    KeyPair kp = newKeyPair();
    Instant now = clock.instant();
    String host = hostName();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Refrain")
        .addRDN(BCStyle.CN, "Refrain local CA" + (host.isEmpty() ? "" : " on " + host) + " " + LocalDate.ofInstant(now, ZoneOffset.UTC))
        .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      // Trusting this CA must not trust it for any other name, should its key ever be taken.
      List<GeneralSubtree> permitted = new ArrayList<>();
      permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, DNS_NAME)));
      permitted.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(
          new byte[] {127, 0, 0, 0, (byte) 255, 0, 0, 0}))));
      byte[] v6 = new byte[32];
      v6[15] = 1;
      java.util.Arrays.fill(v6, 16, 32, (byte) 0xff);
      permitted.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(v6))));
      b.addExtension(Extension.nameConstraints, true, new NameConstraints(permitted.toArray(GeneralSubtree[]::new), null));
      X509Certificate cert = sign(b, kp.getPrivate());
      // The key first: a CA certificate without its key is refused at the next start, a lone key is not looked at.
      Pem.write(caKey(), Pem.encode(kp.getPrivate()), true);
      Pem.write(caCertificate(), Pem.encode(List.of(cert)), false);
      return new CertifiedKey(kp.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException e) {
      throw new TlsException("REFRAIN_TLS_LOCAL: cannot make a CA certificate: " + e.getMessage(), e);
    }
  }

  private void makeServer(CertifiedKey ca) throws IOException {
    KeyPair kp = newKeyPair();
    Instant now = clock.instant();
    Instant end = now.plus(SERVER_VALIDITY);
    Instant caEnd = ca.leaf().getNotAfter().toInstant();
    if (caEnd.isBefore(end)) end = caEnd;
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.leaf(), serial(), Date.from(now.minus(BACKDATE)), Date.from(end),
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Refrain").addRDN(BCStyle.CN, DNS_NAME).build(), kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.dNSName, DNS_NAME));
      for (String ip : IP_NAMES) names.add(new GeneralName(GeneralName.iPAddress, ip));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.leaf()));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b, ca.key());
      // Key, then certificate: the reloading server takes the pair only once both match.
      Pem.write(serverKey(), Pem.encode(kp.getPrivate()), true);
      Pem.write(serverCertificate(), Pem.encode(List.of(cert)), false);
      log.info("made a server certificate for {} from the local CA (serial {}, valid until {})", DNS_NAME + ", " + String.join(", ", IP_NAMES),
          CertifiedKey.serial(cert), end);
    } catch (GeneralSecurityException e) {
      throw new TlsException("REFRAIN_TLS_LOCAL: cannot make a server certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey by) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(by)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TlsException("REFRAIN_TLS_LOCAL: this JDK cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  /** Positive, random, 128 bits: no two certificates of this CA share one. */
  private static BigInteger serial() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    b[0] &= 0x7f;
    b[0] |= 0x40;
    return new BigInteger(1, b);
  }

  private static String hostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      return h.matches("[A-Za-z0-9.-]{1,64}") ? h : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Set<String> wantedNames() {
    Set<String> s = new HashSet<>();
    s.add(DNS_NAME);
    for (String ip : IP_NAMES) s.add(canonicalIp(ip));
    return s;
  }

  /** The certificate's DNS and IP names, IPs in one spelling (the JDK writes ::1 as 0:0:0:0:0:0:0:1). */
  static Set<String> names(X509Certificate c) {
    Set<String> s = new HashSet<>();
    try {
      Collection<List<?>> alt = c.getSubjectAlternativeNames();
      if (alt == null) return s;
      for (List<?> n : alt) {
        int type = (Integer) n.get(0);
        if (type == GeneralName.dNSName) s.add(String.valueOf(n.get(1)));
        if (type == GeneralName.iPAddress) s.add(canonicalIp(String.valueOf(n.get(1))));
      }
    } catch (CertificateParsingException e) {
      return s;
    }
    return s;
  }

  private static String canonicalIp(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress(); // a literal: no lookup
    } catch (IOException e) {
      return ip;
    }
  }

  /**
   * What the operator reads at start: where the CA is, and how each kind of client is told to trust it
   * (only the certificate; its key stays where it is).
   */
  public static List<String> trustInstructions(Path ca, String baseUrl) {
    String p = quote(ca.toString());
    return List.of(
        "  HTTPS with a certificate from this machine's own CA, which clients do not trust until told:",
        "    the CA certificate: " + ca,
        "    curl:     curl --cacert " + p + " " + baseUrl + "/healthz",
        "    Node.js:  export NODE_EXTRA_CA_CERTS=" + p,
        "    Python:   export SSL_CERT_FILE=" + p + " REQUESTS_CA_BUNDLE=" + p + "   (these trust only this CA)",
        "    Java:     keytool -importcert -cacerts -storepass changeit -noprompt -alias refrain-local-ca -file " + p);
  }

  /** A path as a shell word. */
  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
