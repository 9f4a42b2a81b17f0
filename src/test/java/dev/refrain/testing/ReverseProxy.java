package dev.refrain.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A reverse proxy on loopback, in front of a test server, as nginx or Caddy would be: it serves
 * under a path prefix (or none), over HTTP or HTTPS, tells the server what the client asked for in
 * the forwarded headers of its choice, and streams answers as they come (so event streams pass).
 * It records every request ("GET /path") and can hide the event stream (404), as an older server
 * or PiAPI does.
 */
public final class ReverseProxy implements AutoCloseable {
  /** What the proxy tells the server of the client's request. */
  public enum Forwarding {
    /** Nothing: the server sees only the proxy. */
    NONE,
    /** X-Forwarded-Proto, -Host, -Prefix and -For, as nginx is usually set up. */
    X_FORWARDED,
    /** RFC 7239's Forwarded, plus X-Forwarded-Prefix (which it has no parameter for). */
    RFC7239
  }

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final String prefix;
  private final Forwarding forwarding;
  private final boolean tls;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean hideEvents;

  private ReverseProxy(String target, String prefix, Forwarding forwarding, SSLContext tls) throws IOException {
    this.target = target;
    this.prefix = prefix;
    this.forwarding = forwarding;
    this.tls = tls != null;
    InetSocketAddress at = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      server = HttpServer.create(at, 0);
    } else {
      HttpsServer s = HttpsServer.create(at, 0);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = s;
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  /** A plain pass-through: no prefix, no forwarded headers. */
  public static ReverseProxy start(String target) throws IOException {
    return new ReverseProxy(target, "", Forwarding.NONE, null);
  }

  /**
   * @param prefix the path the server is mounted at here ("" or "/refrain")
   * @param tls the proxy's certificate, or null for plain HTTP
   */
  public static ReverseProxy start(String target, String prefix, Forwarding forwarding, SSLContext tls) throws IOException {
    return new ReverseProxy(target, prefix, forwarding, tls);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL clients use: at 127.0.0.1 unless {@code host} names another way to loopback ("localhost"). */
  public String url(String host) {
    return (tls ? "https" : "http") + "://" + host + ":" + port() + prefix;
  }

  public String url() {
    return url("127.0.0.1");
  }

  public void hideEvents() {
    hideEvents = true;
  }

  /** Every request so far, as "METHOD /path" (the path as the server gets it). */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      String raw = ex.getRequestURI().getRawPath();
      if (!raw.startsWith(prefix + "/")) {
        answer(ex, 404, "{\"code\":404,\"data\":null,\"message\":\"not under " + prefix + "/\"}");
        return;
      }
      String path = raw.substring(prefix.length());
      requests.add(ex.getRequestMethod() + " " + path);
      if (hideEvents && path.endsWith("/events")) {
        answer(ex, 404, "{\"code\":404,\"data\":null,\"message\":\"no such endpoint\"}");
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
      ex.getRequestHeaders().forEach((name, values) -> {
        String n = name.toLowerCase(Locale.ROOT);
        // A client's own forwarded headers are replaced, as a proxy set up well does.
        if (!HOP_BY_HOP.contains(n) && !n.startsWith("x-forwarded-") && !n.equals("forwarded")) values.forEach(v -> b.header(name, v));
      });
      String host = ex.getRequestHeaders().getFirst("Host");
      String proto = tls ? "https" : "http";
      String client = ex.getRemoteAddress().getAddress().getHostAddress();
      switch (forwarding) {
        case NONE -> { }
        case X_FORWARDED -> {
          b.header("X-Forwarded-Proto", proto).header("X-Forwarded-Host", host).header("X-Forwarded-For", client);
          if (!prefix.isEmpty()) b.header("X-Forwarded-Prefix", prefix);
        }
        case RFC7239 -> {
          b.header("Forwarded", "for=\"" + (client.contains(":") ? "[" + client + "]" : client) + "\";proto=" + proto + ";host=\"" + host + "\"");
          if (!prefix.isEmpty()) b.header("X-Forwarded-Prefix", prefix);
        }
      }
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      r.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) ex.getResponseHeaders().put(name, values);
      });
      long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      boolean bodiless = ex.getRequestMethod().equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304;
      ex.sendResponseHeaders(r.statusCode(), bodiless ? -1 : length == 0 ? -1 : length > 0 ? length : 0);
      try (InputStream in = r.body(); OutputStream out = ex.getResponseBody()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
