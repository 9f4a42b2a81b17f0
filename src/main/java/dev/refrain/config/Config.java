package dev.refrain.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Every setting of the server, typed, with its default. Read from environment variables
 * (`REFRAIN_PORT`) and an optional properties file (`port=8080`) named by `REFRAIN_CONFIG`
 * (default `./refrain.properties` when present); the environment wins. The README lists them all.
 */
public record Config(
    String host,
    int port,
    String publicBaseUrl,
    List<String> trustedProxies,
    Path dataDir,
    String databaseUrl,
    String engine,
    int engineConcurrency,
    int maxDurationSeconds,
    long maxBodyBytes,
    long maxBodyBytesInFlight,
    Duration idleTimeout,
    Duration headerTimeout,
    long maxUploadBytes,
    long maxInputBytes,
    boolean fetchAllowPrivate,
    Duration fetchConnectTimeout,
    Duration fetchReadTimeout,
    int fetchMaxRedirects,
    Duration leaseDuration,
    String nodeName,
    int maxAttempts,
    int decoders,
    long decoderMemoryBytes,
    Duration decodeTimeout,
    long minFreeBytes,
    int maxPendingPerKey,
    int defaultMaxConcurrent,
    Map<String, Long> unitsPerSecond,
    int mp3Bitrate,
    boolean metricsPublic,
    boolean webhookAllowPrivate,
    Duration webhookTimeout,
    int webhookMaxAttempts,
    Duration webhookBaseDelay,
    Duration uploadTtl,
    Duration idempotencyTtl,
    Duration maxWait,
    boolean printFirstKey,
    List<BackendSettings> backends,
    boolean previewFallback,
    int backendAttempts,
    Duration backendHealthInterval,
    Duration backendPollInterval,
    StorageSettings storage,
    TlsSettings tls) {

  /** What a node name may hold: it is matched in REFRAIN_BACKEND_<NAME>_NODES lists and shown in task leases. */
  static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  // Literals only: Jetty's parser would resolve a host name, and trust whatever it resolved to that day.
  private static final Pattern ADDRESS_OR_CIDR = Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?");

  /** One documented setting: its environment name, default and meaning. */
  public record Setting(String env, String defaultValue, String doc) {}

  public static final Setting[] SETTINGS = {
    new Setting("REFRAIN_HOST", "0.0.0.0", "address to listen on"),
    new Setting("REFRAIN_PORT", "8080", "HTTP port (0 picks a free one); HTTPS when TLS is on"),
    new Setting("REFRAIN_PUBLIC_BASE_URL", "", "absolute base of every URL we hand out (audio_url, upload URLs); default http://localhost:<port> (https:// when TLS is on), or what a trusted proxy forwards"),
    new Setting("REFRAIN_TRUSTED_PROXIES", "", "addresses and CIDR blocks (comma-separated) of reverse proxies whose Forwarded and X-Forwarded-* headers are believed: they shape the URLs we hand out and the client address logged; from any other peer those headers are ignored"),
    new Setting("REFRAIN_TLS_CERT", "", "HTTPS: PEM certificate chain (the server's first, then its issuers); with REFRAIN_TLS_KEY; reloaded when it changes"),
    new Setting("REFRAIN_TLS_KEY", "", "HTTPS: PEM private key of REFRAIN_TLS_CERT (PKCS#8, PKCS#1 or SEC1, unencrypted); reloaded when it changes"),
    new Setting("REFRAIN_TLS_LOCAL", "false", "HTTPS with a local CA made in <data dir>/tls and a certificate for localhost, 127.0.0.1 and ::1; not with REFRAIN_TLS_CERT"),
    new Setting("REFRAIN_HTTP_PORT", "0", "with TLS on, a plain-HTTP listener on this port too (the same routes, e.g. for health checks); 0: none"),
    new Setting("REFRAIN_DATA_DIR", "./data", "where the SQLite database, outputs, inputs and uploads live"),
    new Setting("REFRAIN_DATABASE_URL", "", "database; default sqlite:<data dir>/refrain.db"),
    new Setting("REFRAIN_ENGINE", "preview", "engine that serves every task type"),
    new Setting("REFRAIN_ENGINE_CONCURRENCY", "0", "tasks the engine runs at once; 0 means one per CPU core"),
    new Setting("REFRAIN_MAX_DURATION", "240", "ceiling in seconds for txt2audio duration and any task's output"),
    new Setting("REFRAIN_MAX_BODY_BYTES", "33554432", "largest request body, /mcp included; 413 above, from its Content-Length before it is read, or once a chunked one passes it"),
    new Setting("REFRAIN_MAX_BODY_BYTES_IN_FLIGHT", "268435456", "body bytes all requests together may hold while handled (a chunked one counts as the largest); a request past it answers 503 with Retry-After; at least REFRAIN_MAX_BODY_BYTES"),
    new Setting("REFRAIN_IDLE_TIMEOUT", "30s", "how long a connection may wait on its client (for a request, or for the rest of a body: 408) before it is closed; answers that take longer (event streams, Prefer: wait, MCP) are never cut"),
    new Setting("REFRAIN_HEADER_TIMEOUT", "10s", "time a request's line and headers may take from their first byte; a client still sending them then (slowloris) is disconnected"),
    new Setting("REFRAIN_MAX_UPLOAD_BYTES", "10485760", "largest decoded file for ephemeral_resource uploads and inline base64 audio"),
    new Setting("REFRAIN_MAX_INPUT_BYTES", "52428800", "largest input audio fetched from a URL"),
    new Setting("REFRAIN_FETCH_ALLOW_PRIVATE", "false", "allow input URLs on private, loopback and link-local addresses"),
    new Setting("REFRAIN_FETCH_CONNECT_TIMEOUT", "10s", "connect timeout for input URLs"),
    new Setting("REFRAIN_FETCH_READ_TIMEOUT", "30s", "time limit for reading an input URL's whole body"),
    new Setting("REFRAIN_FETCH_MAX_REDIRECTS", "5", "redirects followed for an input URL"),
    new Setting("REFRAIN_LEASE", "30s", "how long a worker's claim on a task (and on its backend's slot) lasts without a heartbeat"),
    new Setting("REFRAIN_NODE_NAME", "", "this node's name, for REFRAIN_BACKEND_<NAME>_NODES and in logs; default the machine's host name"),
    new Setting("REFRAIN_MAX_ATTEMPTS", "2", "runs a task gets when its worker dies mid-run (1 or 2): a task whose runner died twice fails rather than risk a crash loop"),
    new Setting("REFRAIN_DECODERS", "2", "child processes that decode input audio (at most this many decodes at once); a crash there costs one task"),
    new Setting("REFRAIN_DECODER_MEMORY", "1073741824", "heap of each decoder process in bytes; a decoded input may use a third of it"),
    new Setting("REFRAIN_DECODE_TIMEOUT", "60s", "longest one decode may take before its process is killed and the task fails"),
    new Setting("REFRAIN_MIN_FREE_BYTES", "104857600", "free space the data dir keeps: below it, creates and uploads answer 507 and /healthz 503"),
    new Setting("REFRAIN_MAX_PENDING_PER_KEY", "100", "waiting tasks a key may have (429 above)"),
    new Setting("REFRAIN_DEFAULT_MAX_CONCURRENT", "4", "tasks a key runs at once unless the key says otherwise"),
    new Setting("REFRAIN_UNITS_PER_SECOND", "5000", "price of one generated second in units (10,000,000 units = 1 USD)"),
    new Setting("REFRAIN_UNITS_PER_SECOND_TXT2AUDIO", "", "price per second for txt2audio; empty: REFRAIN_UNITS_PER_SECOND"),
    new Setting("REFRAIN_UNITS_PER_SECOND_AUDIO2AUDIO", "", "price per second for audio2audio; empty: REFRAIN_UNITS_PER_SECOND"),
    new Setting("REFRAIN_UNITS_PER_SECOND_EDIT", "", "price per second for edit; empty: REFRAIN_UNITS_PER_SECOND"),
    new Setting("REFRAIN_UNITS_PER_SECOND_EXTEND", "", "price per added second for extend; empty: REFRAIN_UNITS_PER_SECOND"),
    new Setting("REFRAIN_MP3_BITRATE", "192", "MP3 output bitrate in kbit/s"),
    new Setting("REFRAIN_METRICS_PUBLIC", "false", "serve /metrics to anyone; false asks for an admin API key"),
    new Setting("REFRAIN_WEBHOOK_ALLOW_PRIVATE", "false", "allow webhook endpoints on private, loopback and link-local addresses"),
    new Setting("REFRAIN_WEBHOOK_TIMEOUT", "10s", "time limit for one webhook attempt"),
    new Setting("REFRAIN_WEBHOOK_MAX_ATTEMPTS", "8", "webhook attempts per event before giving up"),
    new Setting("REFRAIN_WEBHOOK_BASE_DELAY", "30s", "delay before the first webhook retry; doubles each time, with jitter (8 tries span about an hour)"),
    new Setting("REFRAIN_UPLOAD_TTL", "24h", "how long uploads and inline inputs are kept"),
    new Setting("REFRAIN_OUTPUT_TTL", "0", "how long outputs are kept; 0 keeps them forever, else older ones are swept and their audio_url answers 404"),
    new Setting("REFRAIN_STORAGE", "", "where outputs, inputs and uploads live: empty for files under the data dir, or s3://bucket/prefix"),
    new Setting("REFRAIN_S3_ENDPOINT", "", "S3-compatible server's URL (MinIO, S3Proxy, R2...); empty: AWS"),
    new Setting("REFRAIN_S3_REGION", "us-east-1", "S3 region"),
    new Setting("REFRAIN_S3_ACCESS_KEY_ID", "", "S3 access key id; empty: the AWS SDK's default credentials chain"),
    new Setting("REFRAIN_S3_SECRET_ACCESS_KEY", "", "S3 secret access key (never logged)"),
    new Setting("REFRAIN_S3_PATH_STYLE", "false", "path-style bucket addressing (endpoint/bucket/key), as MinIO and S3Proxy want"),
    new Setting("REFRAIN_AUDIO_URLS", "proxy", "audio_url form: proxy (under the public base URL, streamed through Refrain) or presigned (straight to the bucket; needs S3)"),
    new Setting("REFRAIN_PRESIGN_TTL", "7d", "how long a presigned audio_url works (at most 7d)"),
    new Setting("REFRAIN_IDEMPOTENCY_TTL", "24h", "how long an Idempotency-Key returns its original task"),
    new Setting("REFRAIN_MAX_WAIT", "60s", "longest a request is held by Prefer: wait=<s> (longer asks are cut to it); an HTTP/2 stream may idle 5 s longer"),
    new Setting("REFRAIN_PRINT_FIRST_KEY", "true", "create and print an API key on first start with an empty store"),
    new Setting("REFRAIN_PREVIEW_FALLBACK", "true", "let the local engine serve task types no backend serves; false refuses them"),
    new Setting("REFRAIN_BACKEND_ATTEMPTS", "3", "attempts of a task across backends after backend failures"),
    new Setting("REFRAIN_BACKEND_HEALTH_INTERVAL", "10s", "how often each backend's health is checked"),
    new Setting("REFRAIN_BACKEND_POLL_INTERVAL", "200ms", "how often a running backend job is polled"),
    // Read by logback.xml, not by this record.
    new Setting("REFRAIN_LOG_LEVEL", "INFO", "log level: ERROR, WARN, INFO or DEBUG"),
    new Setting("REFRAIN_LOG_FORMAT", "text", "log format: text (one line per event, for people) or json (one JSON object per line)"),
    // Read by `refrain task` and `refrain mcp` (clients of some server), not by this record.
    new Setting("REFRAIN_URL", "", "the server `refrain task` and `refrain mcp` call; default http://127.0.0.1:<REFRAIN_PORT>"),
    new Setting("REFRAIN_API_KEY", "", "the API key `refrain task` and `refrain mcp` send (PIAPI_API_KEY also works for mcp; never printed)"),
  };

  /** Loads from the process environment and the optional file. */
  public static Config load() {
    return load(System.getenv());
  }

  /** Loads from {@code env} (the `REFRAIN_*` entries) and the optional file it names; the environment wins. */
  public static Config load(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.getOrDefault("REFRAIN_CONFIG", "refrain.properties");
    Path path = Path.of(file);
    if (Files.isRegularFile(path)) {
      merged.putAll(readFile(path));
    } else if (env.containsKey("REFRAIN_CONFIG")) {
      throw new ConfigException("REFRAIN_CONFIG names " + file + ", which is not a readable file");
    }
    env.forEach((k, v) -> {
      if (k.startsWith("REFRAIN_")) merged.put(k, v);
    });
    return fromMap(merged);
  }

  private static Map<String, String> readFile(Path path) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + path + ": " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    for (String k : p.stringPropertyNames()) {
      out.put("REFRAIN_" + k.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), p.getProperty(k).trim());
    }
    return out;
  }

  /** Builds a config from `REFRAIN_*` names to values; anything missing takes its default. */
  public static Config fromMap(Map<String, String> values) {
    Map<String, String> v = new HashMap<>();
    for (Setting s : SETTINGS) v.put(s.env(), s.defaultValue());
    values.forEach((k, val) -> {
      if (k.startsWith("REFRAIN_") && !k.equals("REFRAIN_CONFIG") && !k.equals("REFRAIN_JAVA_OPTS")
          && !BackendSettings.isBackendSetting(k)) {
        if (!v.containsKey(k)) throw new ConfigException("unknown setting " + k);
        v.put(k, val);
      }
    });
    Parser p = new Parser(v);
    int port = p.integer("REFRAIN_PORT", 0, 65535);
    Path dataDir = Path.of(p.text("REFRAIN_DATA_DIR")).toAbsolutePath().normalize();
    String db = p.text("REFRAIN_DATABASE_URL");
    if (db.isEmpty()) db = "sqlite:" + dataDir.resolve("refrain.db");
    int cores = Runtime.getRuntime().availableProcessors();
    int engineConcurrency = p.integer("REFRAIN_ENGINE_CONCURRENCY", 0, 1024);
    String base = p.text("REFRAIN_PUBLIC_BASE_URL");
    // logback.xml reads it too (json, else text): a mistyped value must not pass for text.
    String logFormat = p.text("REFRAIN_LOG_FORMAT");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new ConfigException("REFRAIN_LOG_FORMAT must be text or json, got '" + logFormat + "'");
    }
    return new Config(
        p.text("REFRAIN_HOST"),
        port,
        base.endsWith("/") ? base.substring(0, base.length() - 1) : base,
        trustedProxies(p.text("REFRAIN_TRUSTED_PROXIES")),
        dataDir,
        db,
        p.text("REFRAIN_ENGINE"),
        engineConcurrency == 0 ? cores : engineConcurrency,
        p.integer("REFRAIN_MAX_DURATION", 10, 3600),
        p.bytes("REFRAIN_MAX_BODY_BYTES"),
        bodyBudget(p),
        p.positiveDuration("REFRAIN_IDLE_TIMEOUT"),
        p.positiveDuration("REFRAIN_HEADER_TIMEOUT"),
        p.bytes("REFRAIN_MAX_UPLOAD_BYTES"),
        p.bytes("REFRAIN_MAX_INPUT_BYTES"),
        p.bool("REFRAIN_FETCH_ALLOW_PRIVATE"),
        p.duration("REFRAIN_FETCH_CONNECT_TIMEOUT"),
        p.duration("REFRAIN_FETCH_READ_TIMEOUT"),
        p.integer("REFRAIN_FETCH_MAX_REDIRECTS", 0, 20),
        p.duration("REFRAIN_LEASE"),
        nodeName(p.text("REFRAIN_NODE_NAME")),
        p.integer("REFRAIN_MAX_ATTEMPTS", 1, 2),
        p.integer("REFRAIN_DECODERS", 1, 64),
        p.bytes("REFRAIN_DECODER_MEMORY"),
        p.duration("REFRAIN_DECODE_TIMEOUT"),
        p.bytes("REFRAIN_MIN_FREE_BYTES"),
        p.integer("REFRAIN_MAX_PENDING_PER_KEY", 1, 1_000_000),
        p.integer("REFRAIN_DEFAULT_MAX_CONCURRENT", 1, 10_000),
        prices(p),
        p.integer("REFRAIN_MP3_BITRATE", 32, 320),
        p.bool("REFRAIN_METRICS_PUBLIC"),
        p.bool("REFRAIN_WEBHOOK_ALLOW_PRIVATE"),
        p.duration("REFRAIN_WEBHOOK_TIMEOUT"),
        p.integer("REFRAIN_WEBHOOK_MAX_ATTEMPTS", 1, 100),
        p.duration("REFRAIN_WEBHOOK_BASE_DELAY"),
        p.duration("REFRAIN_UPLOAD_TTL"),
        p.duration("REFRAIN_IDEMPOTENCY_TTL"),
        p.duration("REFRAIN_MAX_WAIT"),
        p.bool("REFRAIN_PRINT_FIRST_KEY"),
        BackendSettings.parse(values, p),
        p.bool("REFRAIN_PREVIEW_FALLBACK"),
        p.integer("REFRAIN_BACKEND_ATTEMPTS", 1, 20),
        p.duration("REFRAIN_BACKEND_HEALTH_INTERVAL"),
        p.duration("REFRAIN_BACKEND_POLL_INTERVAL"),
        StorageSettings.parse(p),
        TlsSettings.parse(p, port));
  }

  private static long bodyBudget(Parser p) {
    long budget = p.bytes("REFRAIN_MAX_BODY_BYTES_IN_FLIGHT");
    if (budget < p.bytes("REFRAIN_MAX_BODY_BYTES")) {
      throw new ConfigException("REFRAIN_MAX_BODY_BYTES_IN_FLIGHT must be at least REFRAIN_MAX_BODY_BYTES, or no largest body could ever be read");
    }
    return budget;
  }

  /** Price per generated second by task type (wire name), each defaulting to the general price. */
  private static Map<String, Long> prices(Parser p) {
    long general = p.integer("REFRAIN_UNITS_PER_SECOND", 0, Integer.MAX_VALUE);
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String type : new String[] {"txt2audio", "audio2audio", "edit", "extend"}) {
      String k = "REFRAIN_UNITS_PER_SECOND_" + type.toUpperCase(Locale.ROOT);
      out.put(type, p.text(k).isEmpty() ? general : p.integer(k, 0, Integer.MAX_VALUE));
    }
    return Map.copyOf(out);
  }

  /** Where work in progress spills to disk (outputs being encoded, long renders); emptied at start. */
  public Path scratchDir() {
    return dataDir.resolve("tmp");
  }

  /** The node's name as set, or the machine's host name (the kernel's, so no DNS lookup can slow the start). */
  private static String nodeName(String value) {
    String name = value.strip();
    if (name.isEmpty()) {
      try {
        name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      } catch (IOException | RuntimeException notLinux) {
        try {
          name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
          name = "";
        }
      }
      if (!NODE_NAME.matcher(name).matches()) name = "node";
    } else if (!NODE_NAME.matcher(name).matches()) {
      throw new ConfigException("REFRAIN_NODE_NAME must be 1 to 64 letters, digits, '.', '_' or '-' (got '" + name + "')");
    }
    return name;
  }

  /** Each entry an address or a CIDR block, checked now so that a typo stops the start rather than trusting nobody. */
  private static List<String> trustedProxies(String value) {
    List<String> list = new ArrayList<>();
    for (String s : value.split(",")) {
      String entry = s.strip();
      if (entry.isEmpty()) continue;
      if (!ADDRESS_OR_CIDR.matcher(entry).matches() || !isBlock(entry)) {
        throw new ConfigException("REFRAIN_TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR block (such as 10.0.0.0/8)");
      }
      list.add(entry);
    }
    return List.copyOf(list);
  }

  /** Whether the proxies' matcher (Jetty's, as api.Forwarding uses it) takes {@code entry}. */
  private static boolean isBlock(String entry) {
    try {
      new InetAddressSet().add(entry);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Where this machine's server answers its own clients (the task CLI, the stdio MCP server) when they are told no URL. */
  public String localUrl() {
    return (tls.enabled() ? "https" : "http") + "://127.0.0.1:" + port;
  }

  public String baseUrl(int boundPort) {
    return publicBaseUrl.isEmpty() ? (tls.enabled() ? "https" : "http") + "://localhost:" + boundPort : publicBaseUrl;
  }

  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }

  record Parser(Map<String, String> v) {
    String text(String k) {
      return v.get(k).trim();
    }

    int integer(String k, int min, int max) {
      return integer(k, text(k), min, max);
    }

    int integer(String k, String value, int min, int max) {
      try {
        int i = Integer.parseInt(value.trim());
        if (i < min || i > max) throw new ConfigException(k + " must be between " + min + " and " + max);
        return i;
      } catch (NumberFormatException e) {
        throw new ConfigException(k + " must be a whole number, got '" + value + "'");
      }
    }

    long bytes(String k) {
      try {
        long l = Long.parseLong(text(k));
        if (l <= 0) throw new ConfigException(k + " must be positive");
        return l;
      } catch (NumberFormatException e) {
        throw new ConfigException(k + " must be a number of bytes, got '" + text(k) + "'");
      }
    }

    boolean bool(String k) {
      return switch (text(k).toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new ConfigException(k + " must be true or false, got '" + text(k) + "'");
      };
    }

    Duration duration(String k) {
      return duration(k, text(k));
    }

    Duration positiveDuration(String k) {
      Duration d = duration(k);
      if (d.isNegative() || d.isZero()) throw new ConfigException(k + " must be a positive duration, got '" + text(k) + "'");
      return d;
    }

    /** `250ms`, `30s`, `5m`, `24h`, `7d`, or a bare number of seconds. */
    Duration duration(String k, String value) {
      String s = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("h")) return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("d")) return Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
      } catch (NumberFormatException e) {
        throw new ConfigException(k + " must be a duration like 30s, 5m, 24h or 7d, got '" + value + "'");
      }
    }
  }
}
