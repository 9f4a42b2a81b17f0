package dev.refrain.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Downloads a caller-supplied http(s) URL into memory, defending the server against it: every hop
 * of a redirect chain is resolved and checked by the {@link AddressPolicy} before we connect, the
 * body is capped in size, and the whole fetch must finish within a deadline however slowly the
 * server drips. Messages name only the host, never the URL's credentials, path or query. Thread-safe.
 *
 * <p>The check resolves the host and the HTTP client then resolves it again; the JVM's address
 * cache normally hands both the same answer, but a DNS server that rebinds faster than that cache
 * is not defended against.
 */
public final class UrlFetcher {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final AddressPolicy policy;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRedirects;
  private final int maxBytes;
  private final HttpClient client;

  /**
   * @param readTimeout deadline for the whole fetch, redirects and body included
   * @param maxBytes largest body accepted
   */
  public UrlFetcher(boolean allowPrivate, Duration connectTimeout, Duration readTimeout, int maxRedirects, long maxBytes) {
    this(AddressPolicy.of(allowPrivate), connectTimeout, readTimeout, maxRedirects, maxBytes);
  }

  UrlFetcher(AddressPolicy policy, Duration connectTimeout, Duration readTimeout, int maxRedirects, long maxBytes) {
    if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must not be negative");
    // The body comes back as one array, so the cap must leave room for the byte that detects overflow.
    if (maxBytes <= 0 || maxBytes >= Integer.MAX_VALUE - 8) throw new IllegalArgumentException("maxBytes out of range");
    this.policy = policy;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxRedirects = maxRedirects;
    this.maxBytes = (int) maxBytes;
    // Redirects are followed by hand so that every hop passes the policy; HTTP/1.1 keeps plain
    // http from attempting an h2c upgrade.
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** The body of a 2xx response at {@code url}, after at most {@code maxRedirects} redirects. */
  public byte[] fetch(String url) throws FetchException {
    URI start = checked(parse(url));
    AtomicReference<URI> current = new AtomicReference<>(start);
    // The fetch runs on its own thread so the deadline holds even while it blocks in DNS, connect or
    // a read; interrupting it cancels the exchange and closes the body stream.
    FutureTask<byte[]> task = new FutureTask<>(() -> follow(start, current));
    Thread.ofVirtual().name("refrain-fetch").start(task);
    try {
      return task.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new FetchException("timed out after " + human(readTimeout) + " fetching from " + where(current.get()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted while fetching from " + where(current.get()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FetchException f) throw f;
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } finally {
      task.cancel(true);
    }
  }

  private byte[] follow(URI start, AtomicReference<URI> current) throws FetchException {
    URI uri = start;
    for (int redirects = 0; ; redirects++) {
      current.set(uri);
      String where = where(uri);
      Optional<String> refusal = policy.refusalForHost(uri.getHost());
      if (refusal.isPresent()) throw new FetchException(refusal.get());
      HttpResponse<InputStream> response = send(uri, where);
      try (InputStream body = response.body()) {
        int status = response.statusCode();
        if (REDIRECTS.contains(status)) {
          if (redirects == maxRedirects) {
            throw new FetchException("too many redirects (more than " + maxRedirects + ") from " + where(start));
          }
          uri = redirectTarget(uri, response, where);
          continue;
        }
        if (status / 100 != 2) throw new FetchException("HTTP " + status + " from " + where);
        if (response.headers().firstValueAsLong("content-length").orElse(0) > maxBytes) throw tooLarge(where);
        byte[] data = body.readNBytes(maxBytes + 1);
        if (data.length > maxBytes) throw tooLarge(where);
        return data;
      } catch (IOException e) {
        throw new FetchException("reading from " + where + " failed" + detail(e));
      }
    }
  }

  private HttpResponse<InputStream> send(URI uri, String where) throws FetchException {
    try {
      return client.send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new FetchException("could not connect to " + where + " within " + human(connectTimeout));
    } catch (ConnectException e) {
      // The JDK's ConnectException usually carries no message; refusal is what it signals.
      String detail = detail(e);
      throw new FetchException("could not connect to " + where + (detail.isEmpty() ? ": connection refused" : detail));
    } catch (SSLException e) {
      throw new FetchException("secure connection to " + where + " failed" + detail(e));
    } catch (IOException e) {
      throw new FetchException("request to " + where + " failed" + detail(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the deadline passed; fetch() has already answered
      throw new FetchException("interrupted");
    }
  }

  private static URI redirectTarget(URI from, HttpResponse<?> response, String where) throws FetchException {
    String location = response.headers().firstValue("location")
        .orElseThrow(() -> new FetchException("redirect from " + where + " has no Location"));
    try {
      // URI.resolve mishandles a base with an empty path ("http://host" + "x" gives "http://hostx").
      URI base = from.getRawPath().isEmpty() ? from.resolve("/") : from;
      return checked(base.resolve(new URI(location.strip())));
    } catch (URISyntaxException e) {
      throw new FetchException("redirect from " + where + " has a malformed Location");
    }
  }

  private static URI parse(String url) throws FetchException {
    try {
      return new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new FetchException("malformed URL");
    }
  }

  /** Only absolute http(s) URLs with a host; a redirect target must pass this as the first URL does. */
  private static URI checked(URI uri) throws FetchException {
    String scheme = uri.getScheme();
    if (scheme == null) throw new FetchException("malformed URL: not absolute");
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      throw new FetchException("unsupported URL scheme " + scheme + ": only http and https");
    }
    if (uri.getHost() == null) throw new FetchException("malformed URL: no valid host");
    return uri;
  }

  private FetchException tooLarge(String where) {
    return new FetchException("input at " + where + " is larger than the limit of " + maxBytes + " bytes");
  }

  /** Host and explicit port: all of a URL that is safe to show. */
  private static String where(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /** The first message along the cause chain; for network errors it names the failure, not the URL. */
  private static String detail(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
    return root.getMessage() == null ? "" : ": " + root.getMessage();
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
