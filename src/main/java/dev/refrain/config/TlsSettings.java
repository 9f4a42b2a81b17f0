package dev.refrain.config;

import java.nio.file.Path;

/**
 * HTTPS on the server's own port: from PEM files the operator keeps up to date ({@code cert} and
 * {@code key}, both or neither), or from a certificate authority Refrain makes for this machine
 * ({@code local}). Never both.
 *
 * @param cert the certificate chain (PEM: the server's certificate first, then its issuers), or null
 * @param key its private key (PEM: PKCS#8, PKCS#1 or SEC1), or null
 * @param local make a local CA and a certificate for localhost under the data dir
 * @param httpPort a plain-HTTP listener beside the HTTPS one (for health checks); 0 for none
 */
public record TlsSettings(Path cert, Path key, boolean local, int httpPort) {
  /** HTTPS off: the one listener is plain HTTP, as it always was. */
  public static final TlsSettings OFF = new TlsSettings(null, null, false, 0);

  public boolean enabled() {
    return local || cert != null;
  }

  static TlsSettings parse(Config.Parser p, int port) {
    String cert = p.text("REFRAIN_TLS_CERT");
    String key = p.text("REFRAIN_TLS_KEY");
    boolean local = p.bool("REFRAIN_TLS_LOCAL");
    int httpPort = p.integer("REFRAIN_HTTP_PORT", 0, 65535);
    if (cert.isEmpty() != key.isEmpty()) {
      throw new Config.ConfigException("REFRAIN_TLS_CERT and REFRAIN_TLS_KEY must be set together (the certificate chain and its private key)");
    }
    if (local && !cert.isEmpty()) {
      throw new Config.ConfigException("REFRAIN_TLS_LOCAL=true makes its own certificate: unset it, or unset REFRAIN_TLS_CERT and REFRAIN_TLS_KEY");
    }
    TlsSettings tls = new TlsSettings(cert.isEmpty() ? null : Path.of(cert).toAbsolutePath().normalize(),
        key.isEmpty() ? null : Path.of(key).toAbsolutePath().normalize(), local, httpPort);
    if (httpPort != 0 && !tls.enabled()) {
      throw new Config.ConfigException("REFRAIN_HTTP_PORT adds a plain-HTTP listener beside HTTPS; without REFRAIN_TLS_CERT/REFRAIN_TLS_KEY "
          + "or REFRAIN_TLS_LOCAL, REFRAIN_PORT already serves plain HTTP");
    }
    if (httpPort != 0 && httpPort == port) throw new Config.ConfigException("REFRAIN_HTTP_PORT must differ from REFRAIN_PORT");
    return tls;
  }
}
