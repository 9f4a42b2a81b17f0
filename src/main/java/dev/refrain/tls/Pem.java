package dev.refrain.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM in and out, through BouncyCastle's parser and writer (no ASN.1 by hand). Keys come out as the
 * JDK's own key objects, so the JDK's TLS uses them as it would any other.
 */
final class Pem {
  /** Far beyond any certificate chain or key: a file this large was named by mistake. */
  static final long MAX_FILE_BYTES = 1 << 20;

  private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private Pem() {}

  /**
   * The bytes of {@code file}, or a {@link TlsException} saying why they cannot be read; {@code name}
   * (which names the setting and the file) starts its message.
   */
  static byte[] read(Path file, String name) {
    try {
      if (Files.isDirectory(file)) throw new TlsException(name + ": is a folder, not a file");
      if (Files.size(file) > MAX_FILE_BYTES) throw new TlsException(name + ": too large for a PEM file");
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsException(name + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TlsException(name + ": not readable (permission denied)", e);
    } catch (IOException e) {
      throw new TlsException(name + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Every certificate in {@code pem}, in the order written; other blocks (a key kept in the same file) are passed over. */
  static List<X509Certificate> certificates(byte[] pem, String name) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = parser(pem)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder h) out.add(converter.getCertificate(h));
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new TlsException(name + ": not a readable PEM certificate chain (" + why(e) + ")", e);
    }
    if (out.isEmpty()) throw new TlsException(name + ": holds no certificate (a PEM block -----BEGIN CERTIFICATE-----)");
    return List.copyOf(out);
  }

  /**
   * The one private key in {@code pem}: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA
   * PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, with or without its EC PARAMETERS block).
   * Certificates in the same file are passed over; an encrypted key is refused, saying so.
   */
  static PrivateKey privateKey(byte[] pem, String name) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey found = null;
    ASN1ObjectIdentifier curve = null;
    try (PEMParser parser = parser(pem)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        PrivateKey key = switch (o) {
          case PrivateKeyInfo info -> converter.getPrivateKey(info);
          // A SEC1 key may leave out its public half (only the private one is needed), and its curve when an EC PARAMETERS block names it.
          case PEMKeyPair pair -> converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo(), curve));
          case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(name);
          case PEMEncryptedKeyPair ignored -> throw encrypted(name);
          case X509CertificateHolder ignored -> null;
          case ASN1ObjectIdentifier named -> { // EC PARAMETERS, as `openssl ecparam -genkey` writes them
            curve = named;
            yield null;
          }
          case X9ECParameters ignored -> null;
          default -> throw new TlsException(name + ": holds a " + o.getClass().getSimpleName() + " where a private key was expected");
        };
        if (key == null) continue;
        if (found != null) throw new TlsException(name + ": holds more than one private key");
        found = key;
      }
    } catch (TlsException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TlsException(name + ": not a readable PEM private key (" + why(e) + ")", e);
    }
    if (found == null) {
      throw new TlsException(name + ": holds no private key (a PEM block -----BEGIN PRIVATE KEY-----, "
          + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }
    return found;
  }

  /** An EC key whose curve is named only by the EC PARAMETERS block before it, with the curve put where the JDK looks. */
  private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
    AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
    boolean bare = alg.getParameters() == null || alg.getParameters() instanceof ASN1Null;
    if (curve == null || !bare || !alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) return info;
    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), info.parsePrivateKey());
  }

  private static TlsException encrypted(String name) {
    return new TlsException(name + ": the private key is encrypted; Refrain reads it unencrypted "
        + "(openssl pkey -in key.pem -out plain.pem), in a file only its user can read");
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII));
  }

  /** What BouncyCastle said, without its class names, on one line. */
  private static String why(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Certificates as PEM text, in order. */
  static String encode(List<X509Certificate> certs) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (X509Certificate c : certs) w.writeObject(c);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** A private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  static String encode(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /**
   * Writes {@code text} to {@code file} in one step (a reader sees the old file or the new one, never
   * half), readable only by this user when {@code secret} (0600 where the file system has POSIX
   * permissions), else 0644.
   */
  static void write(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    boolean posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
    if (posix) {
      // Created with the permissions, so a secret is never readable by others, not even for a moment.
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(secret ? SECRET : PUBLIC));
      Files.setPosixFilePermissions(tmp, secret ? SECRET : PUBLIC); // the umask may have taken some away
    } else {
      Files.createFile(tmp);
    }
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
