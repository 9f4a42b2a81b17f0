/**
 * HTTPS: certificates and keys read from PEM files, the local certificate authority of
 * {@code REFRAIN_TLS_LOCAL}, and the TLS settings Jetty serves with, reloaded when the files change.
 * (Which listeners there are, and HTTP/2 on them, is {@code api.Connections}'.)
 */
package dev.refrain.tls;
