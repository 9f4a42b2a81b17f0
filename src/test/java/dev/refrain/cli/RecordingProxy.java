package dev.refrain.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A pass-through proxy in front of a test server that records every request ("GET /path") and
 * streams answers as they come (so event streams pass too). With {@link #hideEvents} it answers
 * the event stream 404, as an older server or PiAPI does.
 */
final class RecordingProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean hideEvents;

  private RecordingProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  static RecordingProxy start(String target) throws IOException {
    return new RecordingProxy(target);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void hideEvents() {
    hideEvents = true;
  }

  /** Every request so far, as "METHOD /path". */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      requests.add(ex.getRequestMethod() + " " + path);
      if (hideEvents && path.endsWith("/events")) {
        byte[] body = "{\"code\":404,\"data\":null,\"message\":\"no such endpoint\"}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(404, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
      ex.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase())) values.forEach(v -> b.header(name, v));
      });
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      r.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) ex.getResponseHeaders().put(name, values);
      });
      ex.sendResponseHeaders(r.statusCode(), 0);
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

  @Override
  public void close() {
    server.stop(0);
  }
}
