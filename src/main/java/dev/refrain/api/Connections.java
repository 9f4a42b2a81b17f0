package dev.refrain.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NegotiatingServerConnection;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a connection may hold the server without doing its part: REFRAIN_IDLE_TIMEOUT while it is
 * the client's turn (before a request, or in a body that stopped coming), REFRAIN_HEADER_TIMEOUT for
 * a request's line and headers. Jetty counts no idle time while a handler works on its answer, so a
 * long one (Prefer: wait, an event stream, an MCP stream) is never cut by either. With TLS, the same
 * port speaks HTTP/2 and HTTP/1.1 (chosen by ALPN) under the same deadlines, and a TLS handshake gets
 * no longer than a request head.
 */
public final class Connections {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);

  private Connections() {}

  /** The listening connector Javalin would make, with both deadlines. */
  public static ServerConnector connector(Server server, HttpConfiguration http, String host, int port, Duration idle, Duration head) {
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(idle.toMillis());
    c.setAcceptQueueSize(1024); // the default backlog (50) drops connections from a burst of a few hundred
    c.addBean(new HeaderDeadline(c, head));
    return c;
  }

  /** Concurrent HTTP/2 streams on one connection: each is a request in progress, as a connection is in HTTP/1.1. */
  static final int MAX_CONCURRENT_STREAMS = 128;

  /**
   * The HTTPS connector: TLS from {@code tls} (its settings and certificate are {@code dev.refrain.tls}'),
   * then HTTP/2 ({@code h2}) or HTTP/1.1 as the client's ALPN asks (HTTP/1.1 when it names neither), with
   * the plain connector's deadlines and backlog. HTTP/2's limits stay bounded: as many concurrent streams
   * as above, header lists within the same request-header size as HTTP/1.1 (HPACK's table at its 4 KiB
   * default), frames at 16 KiB, and Jetty's rate control against floods of resets and pings.
   */
  public static ServerConnector tls(Server server, HttpConfiguration http, String host, int port, Duration idle, Duration head,
      Duration maxWait, SslContextFactory.Server tls) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // One certificate serves every name: a Host unlike the SNI name (a port forward, a tunnel) is still served.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    HttpConnectionFactory h1 = new HttpConnectionFactory(https);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
    h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    h2.setConnectProtocolEnabled(false); // no WebSocket over HTTP/2 (RFC 8441): nothing here uses it
    // An HTTP/2 stream has an idle timeout of its own, which, unlike HTTP/1.1's, also runs while a
    // handler works on the answer: a Prefer: wait answer held past it was reset (RST_STREAM CANCEL).
    // It is the longest such hold, then, plus a margin; the connection's own idle timeout stays `idle`.
    h2.setStreamIdleTimeout(Math.max(idle.toMillis(), maxWait.plusSeconds(5).toMillis()));
    // By their ALPN names: HTTP/1.1's factory is named "HTTP/1.1", which no client asks for.
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), "http/1.1");
    alpn.setDefaultProtocol(h1.getProtocol());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
    ServerConnector c = new ServerConnector(server, ssl, alpn, h2, h1);
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(idle.toMillis());
    c.setAcceptQueueSize(1024);
    c.addBean(new HeaderDeadline(c, head));
    return c;
  }

  /**
   * The idle timeout alone never ends a client that trickles its headers a byte every few seconds
   * (slowloris): this closes any connection whose request head is still incomplete past the deadline,
   * counted from its first byte. One sweep over the open connections, four times per deadline.
   */
  private static final class HeaderDeadline extends AbstractLifeCycle {
    private final ServerConnector connector;
    private final long timeoutNanos;
    private final long everyMillis;
    private volatile Scheduler.Task next;

    HeaderDeadline(ServerConnector connector, Duration timeout) {
      this.connector = connector;
      this.timeoutNanos = timeout.toNanos();
      this.everyMillis = Math.max(50, timeout.toMillis() / 4);
    }

    @Override
    protected void doStart() {
      schedule();
    }

    @Override
    protected void doStop() {
      Scheduler.Task task = next;
      if (task != null) task.cancel();
    }

    private void schedule() {
      if (isRunning() || isStarting()) next = connector.getScheduler().schedule(this::sweep, everyMillis, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
      try {
        for (EndPoint e : connector.getConnectedEndPoints()) {
          Connection connection = e.getConnection();
          // Under TLS, HTTP runs on the decrypted side; until the handshake and ALPN are done, a negotiating connection does.
          if (connection instanceof SslConnection tls) connection = tls.getSslEndPoint().getConnection();
          // Jetty's HTTP/1.1 connection is the one that knows its parser (an internal class, hence the check).
          if (connection instanceof HttpConnection c && late(c.getParser())) {
            log.debug("closing the connection from {}: its request head took longer than {} ms", e.getRemoteSocketAddress(),
                timeoutNanos / 1_000_000);
            e.close();
          } else if (connection instanceof NegotiatingServerConnection
              && System.currentTimeMillis() - e.getCreatedTimeStamp() > timeoutNanos / 1_000_000) {
            log.debug("closing the connection from {}: its TLS handshake took longer than {} ms", e.getRemoteSocketAddress(),
                timeoutNanos / 1_000_000);
            e.close();
          }
        }
      } finally {
        schedule();
      }
    }

    /**
     * A head still being parsed, begun longer ago than the deadline. The parser belongs to another
     * thread: its start time is read again after its state, so a request that ended and another that
     * began meanwhile (a new start time) is never taken for a late one.
     */
    private boolean late(HttpParser parser) {
      long begun = parser.getBeginNanoTime();
      return begun != 0 && parser.inHeaderState() && !parser.isStart() && NanoTime.since(begun) > timeoutNanos
          && parser.getBeginNanoTime() == begun;
    }
  }
}
