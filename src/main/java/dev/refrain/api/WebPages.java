package dev.refrain.api;

import dev.refrain.storage.Links;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
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
 */
public final class WebPages {
  private static final Logger log = LoggerFactory.getLogger(WebPages.class);
  static final String CLASSPATH_DIR = "/web";

  private final String contentSecurityPolicy;

  /**
   * @param links where audio lives: players and the waveform fetch read outputs and uploads
   *     under the public base URL, or a bucket's presigned URLs, which may differ from the page's
   *     own origin
   */
  public WebPages(Links links) {
    Set<String> origins = new LinkedHashSet<>();
    origins.add("'self'");
    origins.add(origin(links.base()));
    origins.add(origin(links.outputUrl("outputs/sample.mp3")));
    String audio = String.join(" ", origins);
    // Only the bundle's own files run or style the page; nothing may frame it.
    this.contentSecurityPolicy = String.join("; ",
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src " + audio,
        "media-src " + audio, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        "require-trusted-types-for 'script'");
  }

  public void configure(JavalinConfig config) {
    if (WebPages.class.getResource(CLASSPATH_DIR + "/index.html") == null) {
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
      sf.skipFileFunction = req -> req.getRequestURI().startsWith("/assets/");
      sf.headers = Map.of(
          "Cache-Control", "no-cache",
          "Content-Security-Policy", contentSecurityPolicy,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer");
    });
  }

  private static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }
}
