package dev.refrain.api;

import dev.refrain.storage.Links;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web workspace: the bundle the npm build leaves on the classpath under {@code /web}, served
 * at {@code /}. Vite names every asset by its content hash, so those are cached for a year; the
 * page itself is revalidated on every load so a new build is seen at once. Paths it doesn't have
 * fall through to the JSON 404 like any other.
 *
 * <p>The page is told the base URL its requests are answered under ({@code <meta name="refrain-base">}):
 * the URLs of our own files in its answers start with it, and the page fetches those from its own
 * origin instead, which its policy allows wherever it was opened (127.0.0.1 while the base names
 * localhost, a LAN address, a proxy).
 */
public final class WebPages {
  private static final Logger log = LoggerFactory.getLogger(WebPages.class);
  static final String CLASSPATH_DIR = "/web";

  private static final String PAGE = CLASSPATH_DIR + "/index.html";
  private static final String BASE_MARK = "<head>";

  /** What the page and the bundle's other top-level files are sent with. */
  private final Map<String, String> pageHeaders;
  /** The page cut where the base URL goes (after {@code <head>}); null when the bundle is not on the classpath. */
  private final String[] page = page();

  /**
   * @param links where audio lives: the page reads our own files from its own origin, and outputs
   *     from a bucket's presigned URLs when outputs are served that way
   */
  public WebPages(Links links) {
    Set<String> origins = new LinkedHashSet<>();
    origins.add("'self'");
    String output = links.outputUrl("outputs/sample.mp3");
    if (!output.startsWith("/")) origins.add(origin(output));
    String audio = String.join(" ", origins);
    // Only the bundle's own files run or style the page; nothing may frame it.
    String contentSecurityPolicy = String.join("; ",
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src " + audio,
        "media-src " + audio, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        "require-trusted-types-for 'script'");
    this.pageHeaders = Map.of(
        "Cache-Control", "no-cache",
        "Content-Security-Policy", contentSecurityPolicy,
        "X-Content-Type-Options", "nosniff",
        "X-Frame-Options", "DENY",
        "Referrer-Policy", "no-referrer");
  }

  public void configure(JavalinConfig config) {
    if (page == null) {
      log.warn("the web workspace is not on the classpath (build it with ./refrain or mvn package); / answers 404");
      return;
    }
    config.staticFiles.add(sf -> {
      sf.hostedPath = "/assets";
      sf.directory = CLASSPATH_DIR + "/assets";
      sf.location = Location.CLASSPATH;
      sf.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable", "X-Content-Type-Options", "nosniff");
    });
    config.staticFiles.add(sf -> {
      sf.hostedPath = "/";
      sf.directory = CLASSPATH_DIR;
      sf.location = Location.CLASSPATH;
      sf.skipFileFunction = req -> req.getRequestURI().startsWith("/assets/") || isPage(req.getRequestURI());
      sf.headers = pageHeaders;
    });
    config.routes.get("/", this::page);
    config.routes.get("/index.html", this::page);
  }

  private static boolean isPage(String path) {
    return path.equals("/") || path.equals("/index.html");
  }

  private void page(Context ctx) {
    pageHeaders.forEach(ctx::header);
    String meta = "<meta name=\"refrain-base\" content=\"" + escape(Forwarding.base(ctx)) + "\" />";
    ctx.contentType("text/html; charset=utf-8").result(page[0] + meta + page[1]);
  }

  /** A base URL is checked before it gets here; this keeps any quote or bracket from ending the attribute all the same. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String[] page() {
    try (InputStream in = WebPages.class.getResourceAsStream(PAGE)) {
      if (in == null) return null;
      String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int at = html.indexOf(BASE_MARK);
      if (at < 0) throw new IllegalStateException(PAGE + " has no " + BASE_MARK + " to put the base URL after");
      at += BASE_MARK.length();
      return new String[] {html.substring(0, at), html.substring(at)};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }
}
