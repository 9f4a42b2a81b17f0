package dev.refrain.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;
import org.slf4j.MDC;

/**
 * Who is calling and by which URL: the base of every absolute URL a request is handed, and the
 * client address its log lines carry (MDC {@code client}). Behind a reverse proxy the connection's
 * peer is the proxy; the proxy says what the client used in {@code Forwarded} (RFC 7239) or
 * {@code X-Forwarded-Proto/Host/Port/Prefix/For}. Those headers are believed only from the
 * addresses in REFRAIN_TRUSTED_PROXIES: from any other peer they are ignored, so no client can
 * put a host of its choosing into the URLs we hand out. REFRAIN_PUBLIC_BASE_URL, when set, is the
 * base whatever the headers say.
 */
public final class Forwarding {
  private static final String ATTR = "refrain.caller";
  public static final String MDC_CLIENT = "client";
  // Host names, IPv4 or bracketed IPv6, with an optional port: anything else (a path, user info,
  // spaces) is not a host and the forwarded view is not taken.
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(?::([0-9]{1,5}))?");
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+){0,16}/?");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final int MAX_HOPS = 32;

  /**
   * @param base where the request's URLs go: our own files under {@code base + /files/}
   * @param client the address of who made the request, as told by trusted proxies, else the peer's
   */
  public record Caller(String base, String client) {}

  private final String defaultBase;
  private final boolean fixed;
  private final InetAddressSet trusted = new InetAddressSet();

  /**
   * @param defaultBase the node's base URL, for a request that came straight to us
   * @param fixed true when the operator set the base (REFRAIN_PUBLIC_BASE_URL): no header changes it
   * @param trustedProxies addresses and CIDR blocks, as checked by the config
   */
  public Forwarding(String defaultBase, boolean fixed, Collection<String> trustedProxies) {
    this.defaultBase = defaultBase;
    this.fixed = fixed;
    trustedProxies.forEach(trusted::add);
  }

  /** A before-handler: first of all, so that every log line of the request names its client. */
  public void configure(JavalinConfig config) {
    config.routes.before(ctx -> {
      Caller c = of(ctx.req());
      ctx.attribute(ATTR, c);
      MDC.put(MDC_CLIENT, c.client());
    });
    config.routes.after(ctx -> MDC.remove(MDC_CLIENT));
  }

  /** The base URL of a request's absolute URLs. */
  public static String base(Context ctx) {
    return ctx.<Caller>attribute(ATTR).base();
  }

  /** The same for any servlet request (routes outside Javalin, such as the MCP endpoint). */
  public Caller of(HttpServletRequest req) {
    return of(req.getRemoteAddr(), req.isSecure(), name -> Collections.list(req.getHeaders(name)));
  }

  /**
   * @param peer the connection's remote address
   * @param headers every value of a header, in the order received (several lines of one header are a list)
   */
  Caller of(String peer, boolean secure, Function<String, List<String>> headers) {
    String client = unbracket(peer);
    if (trusted.isEmpty() || !trusted(client)) return new Caller(defaultBase, client);
    List<String> forwarded = headers.apply("Forwarded");
    View view = forwarded.isEmpty() ? xForwarded(client, headers) : forwarded(client, forwarded);
    if (view == null) return new Caller(defaultBase, client);
    if (fixed) return new Caller(defaultBase, view.client);
    String prefix = last(headers.apply("X-Forwarded-Prefix"));
    String port = last(headers.apply("X-Forwarded-Port"));
    String base = base(view.proto != null ? view.proto : secure ? "https" : "http",
        view.host != null ? view.host : first(headers.apply("Host")), port, prefix);
    return new Caller(base == null ? defaultBase : base, view.client);
  }

  /** What a proxy said of the client: any part may be null when it did not say. */
  private record View(String client, String proto, String host) {}

  /**
   * RFC 7239: each proxy appends one element. Walking from the right, the elements are believed
   * while their {@code for} is itself a trusted proxy; the first one that is not names the client,
   * and that element's {@code proto} and {@code host} are what the client asked for.
   */
  private View forwarded(String peer, List<String> lines) {
    List<List<String[]>> elements = new ArrayList<>();
    for (String line : lines) {
      List<List<String[]>> parsed = ForwardedHeader.parse(line);
      if (parsed == null) return null; // malformed: believe none of it
      elements.addAll(parsed);
    }
    if (elements.isEmpty()) return null;
    String client = peer;
    List<String[]> chosen = null;
    for (int i = elements.size() - 1, hops = 0; i >= 0 && hops < MAX_HOPS; i--, hops++) {
      chosen = elements.get(i);
      String f = param(chosen, "for");
      client = f == null ? "unknown" : node(f);
      if (f == null || !trusted(client)) break;
    }
    return new View(client, param(chosen, "proto"), param(chosen, "host"));
  }

  /**
   * The de-facto headers: X-Forwarded-For walked from the right as {@code for} is, and for proto
   * and host the last value, the one our own peer set.
   */
  private View xForwarded(String peer, Function<String, List<String>> headers) {
    String proto = last(headers.apply("X-Forwarded-Proto"));
    String host = last(headers.apply("X-Forwarded-Host"));
    List<String> chain = new ArrayList<>();
    for (String line : headers.apply("X-Forwarded-For")) {
      for (String hop : line.split(",")) chain.add(hop.strip());
    }
    boolean any = proto != null || host != null || !chain.isEmpty()
        || last(headers.apply("X-Forwarded-Port")) != null || last(headers.apply("X-Forwarded-Prefix")) != null;
    if (!any) return null;
    String client = peer;
    for (int i = chain.size() - 1, hops = 0; i >= 0 && hops < MAX_HOPS; i--, hops++) {
      client = node(chain.get(i));
      if (!trusted(client)) break;
    }
    return new View(client, proto, host);
  }

  /** The base from what the proxy said, or null when any part of it is not what a URL can hold. */
  private static String base(String proto, String host, String port, String prefix) {
    String scheme = proto.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return null;
    if (host == null) return null;
    var h = HOST.matcher(host);
    if (!h.matches()) return null;
    String name = h.group(1);
    String p = port != null ? port : h.group(2);
    if (p != null) {
      if (!PORT.matcher(p).matches()) return null;
      int n = Integer.parseInt(p);
      if (n < 1 || n > 65535) return null;
      if (n == (scheme.equals("https") ? 443 : 80)) p = null;
    }
    String path = "";
    if (prefix != null && !prefix.isEmpty()) {
      if (!PREFIX.matcher(prefix).matches() || prefix.contains("/./") || prefix.contains("/../") || prefix.endsWith("/.")
          || prefix.endsWith("/..")) {
        return null;
      }
      path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
    return scheme + "://" + name.toLowerCase(Locale.ROOT) + (p == null ? "" : ":" + p) + path;
  }

  private boolean trusted(String address) {
    if (!LITERAL.matcher(address).matches()) return false; // a literal, never a name to resolve
    try {
      return trusted.test(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A {@code for} node without its port and brackets: {@code "[2001:db8::1]:80"} is 2001:db8::1. */
  private static String node(String value) {
    String v = value.strip();
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      return end < 0 ? v : v.substring(1, end);
    }
    int colon = v.indexOf(':');
    return colon >= 0 && colon == v.lastIndexOf(':') ? v.substring(0, colon) : v;
  }

  private static String unbracket(String address) {
    return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
  }

  private static String param(List<String[]> element, String name) {
    for (String[] pair : element) if (pair[0].equals(name)) return pair[1];
    return null;
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0).strip();
  }

  /** The last of a header's comma-separated values, over all its lines; null when absent or empty. */
  private static String last(List<String> values) {
    if (values.isEmpty()) return null;
    String line = values.get(values.size() - 1);
    String v = line.substring(line.lastIndexOf(',') + 1).strip();
    return v.isEmpty() ? null : v;
  }
}
