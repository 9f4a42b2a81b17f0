package dev.refrain;

import dev.refrain.api.AdminKeysApi;
import dev.refrain.api.BodyLimit;
import dev.refrain.api.Connections;
import dev.refrain.api.FileServing;
import dev.refrain.api.Forwarding;
import dev.refrain.api.HttpApi;
import dev.refrain.api.JsonErrorHandler;
import dev.refrain.api.UploadsApi;
import dev.refrain.api.UsageApi;
import dev.refrain.api.WebPages;
import dev.refrain.audio.DecoderPool;
import dev.refrain.auth.ApiKeys;
import dev.refrain.auth.Authenticator;
import dev.refrain.auth.ShutdownGate;
import dev.refrain.billing.Pricing;
import dev.refrain.config.Config;
import dev.refrain.core.TaskType;
import dev.refrain.dispatch.Dispatcher;
import dev.refrain.docs.OpenApiDocs;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineProvider;
import dev.refrain.engine.backend.BackendPool;
import dev.refrain.fetch.AddressPolicy;
import dev.refrain.fetch.SourceAudioLoader;
import dev.refrain.fetch.UrlFetcher;
import dev.refrain.mcp.McpEndpoint;
import dev.refrain.metrics.Metrics;
import dev.refrain.metrics.MetricsApi;
import dev.refrain.metrics.TaskGauges;
import dev.refrain.storage.BlobStore;
import dev.refrain.storage.DiskBlobStore;
import dev.refrain.storage.DiskSpace;
import dev.refrain.storage.Links;
import dev.refrain.storage.S3BlobStore;
import dev.refrain.storage.Uploads;
import dev.refrain.store.Channel;
import dev.refrain.store.Database;
import dev.refrain.store.Dialect;
import dev.refrain.task.TaskMeters;
import dev.refrain.task.TaskRequest;
import dev.refrain.task.TaskService;
import dev.refrain.task.TaskWatch;
import dev.refrain.task.Transitions;
import dev.refrain.tls.LocalCa;
import dev.refrain.tls.ServerTls;
import dev.refrain.webhook.WebhookSender;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Refrain node: wires the store, storage, engines, dispatcher, webhooks and HTTP API together. */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);

  private final Database db;
  private final ApiKeys keys;
  private final WebhookSender webhooks;
  private final Dispatcher dispatcher;
  private final ShutdownGate gate = new ShutdownGate();
  private final Metrics metrics;
  private final Javalin http;
  private final ScheduledExecutorService housekeeping;
  private final BackendPool backends;
  private final TaskWatch watch;
  private final BlobStore blobs;
  private final String baseUrl;
  private final int port;
  private final ServerTls tls; // null when serving plain HTTP
  private final int httpPort; // the plain listener beside HTTPS; 0 when none

  /** Each part is added to {@code opened} as it starts, so a failed start can close exactly those. */
  private Server(Config config, Deque<AutoCloseable> opened) throws IOException {
    this.port = config.port() == 0 ? freePort() : config.port();
    this.baseUrl = config.baseUrl(port);
    prepareDataDir(config);
    this.tls = startTls(config);
    if (tls != null) opened.push(tls);
    this.httpPort = config.tls().httpPort();
    checkPortFree(config.host(), port);
    if (httpPort != 0) checkPortFree(config.host(), httpPort);
    DiskSpace disk = new DiskSpace(config.dataDir(), config.minFreeBytes());
    S3BlobStore s3 = config.storage().s3()
        ? step("storage s3://" + config.storage().bucket() + "/" + config.storage().prefix(), () -> S3BlobStore.connect(config.storage()))
        : null;
    this.blobs = s3 != null ? s3 : new DiskBlobStore(config.dataDir().resolve("files"));
    opened.push(blobs);
    this.db = step("database " + StartException.redact(config.databaseUrl()), () -> Database.open(config.databaseUrl()));
    opened.push(db);
    this.metrics = new Metrics();
    opened.push(metrics);
    TaskGauges.register(db, metrics.registry());
    Links links = new Links(baseUrl, config.storage().presignedUrls() ? s3.presignedUrls(config.storage().presignTtl()) : null);
    this.keys = new ApiKeys(db);
    Engine local = localEngine(config);
    DecoderPool decoders = new DecoderPool(new DecoderPool.Settings(config.decoders(), config.decoderMemoryBytes(), config.decodeTimeout()));
    opened.push(decoders);
    // Whose leases (tasks, backend slots) are whose: the node's name, and a part new at every start.
    String node = config.nodeName() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    this.backends = config.backends().isEmpty() ? null : new BackendPool(config.backends(), decoders,
        new BackendPool.Settings(config.backendAttempts(), config.backendHealthInterval(), config.backendPollInterval(),
            Math.max(600, config.maxDurationSeconds()), config.nodeName()), metrics.registry(),
        db.dialect() == Dialect.POSTGRESQL ? new BackendPool.Cluster(db, node, config.leaseDuration()) : null);
    if (backends != null) opened.push(backends);
    Map<String, Engine> engines = new LinkedHashMap<>();
    engines.put(local.name(), local);
    if (backends != null) engines.put(backends.name(), backends);
    Pricing pricing = new Pricing(config.unitsPerSecond(), config.maxDurationSeconds());
    AddressPolicy webhookPolicy = AddressPolicy.of(config.webhookAllowPrivate());
    this.webhooks = new WebhookSender(db,
        new WebhookSender.Settings(config.webhookTimeout(), config.webhookMaxAttempts(), config.webhookBaseDelay()),
        uri -> webhookPolicy.refusalForHost(uri.getHost()), metrics.registry());
    opened.push(webhooks);
    this.watch = new TaskWatch();
    Transitions transitions = new Transitions(db, links, webhooks::signal, watch);
    transitions.onCommit(new TaskMeters(metrics.registry()));
    Uploads uploads = new Uploads(db, blobs, links, config.uploadTtl());
    UrlFetcher fetcher = new UrlFetcher(config.fetchAllowPrivate(), config.fetchConnectTimeout(), config.fetchReadTimeout(),
        config.fetchMaxRedirects(), config.maxInputBytes());
    SourceAudioLoader inputs =
        new SourceAudioLoader(links, blobs, fetcher, decoders, config.maxInputBytes(), config.maxDurationSeconds());
    this.dispatcher = Dispatcher.start(node, transitions,
        new Dispatcher.Settings(config.leaseDuration(), config.maxAttempts(), config.defaultMaxConcurrent()),
        engines, inputs, blobs, links, pricing, disk,
        config.maxDurationSeconds(), config.mp3Bitrate(), config.scratchDir(), metrics.registry());
    opened.push(dispatcher);
    transitions.claimsHere(dispatcher::hasRoom);
    TaskService tasks = new TaskService(db, transitions, pricing, uploads, disk,
        new TaskService.Settings(new TaskRequest.Limits(config.maxDurationSeconds(), config.maxUploadBytes()),
            config.maxPendingPerKey(), config.idempotencyTtl(),
            config.webhookAllowPrivate() ? host -> Optional.empty() : webhookPolicy::refusalIfResolves),
        type -> route(type, local, config.previewFallback()), dispatcher::signal);
    if (backends != null) backends.onCapacity(dispatcher::signal);
    // Other nodes' changes reach this one's loops the way local ones do (PostgreSQL only).
    db.listen(Map.of(Channel.DISPATCH, p -> dispatcher.signal(), Channel.WEBHOOK, p -> webhooks.signal(),
        Channel.CANCEL, dispatcher::cancelLocal, Channel.TASK, watch::changed));
    Authenticator auth = new Authenticator(keys);
    Forwarding forwarding = new Forwarding(baseUrl, !config.publicBaseUrl().isEmpty(), config.trustedProxies());
    HttpApi api = new HttpApi(keys, tasks, disk, gate, dispatcher::cancelLocal, this::databaseAnswers, config.defaultMaxConcurrent(),
        config.maxWait());
    this.http = Javalin.create(c -> {
      c.concurrency.useVirtualThreads = true;
      c.http.maxRequestSize = config.maxBodyBytes(); // Javalin's own cap, the same: BodyLimit (below) answers first
      c.http.generateEtags = false;
      c.http.prefer405over404 = true;
      c.startup.showJavalinBanner = false;
      c.jetty.addConnector((server, httpConfig) -> tls == null
          ? Connections.connector(server, httpConfig, config.host(), port, config.idleTimeout(), config.headerTimeout())
          : Connections.tls(server, httpConfig, config.host(), port, config.idleTimeout(), config.headerTimeout(),
              config.maxWait(), tls.sslContextFactory()));
      if (httpPort != 0) {
        c.jetty.addConnector((server, httpConfig) -> Connections.connector(server, httpConfig, config.host(), httpPort,
            config.idleTimeout(), config.headerTimeout()));
      }
      c.jetty.modifyServer(s -> {
        s.setErrorHandler(new JsonErrorHandler());
        s.setHandler(new BodyLimit(config.maxBodyBytes(), config.maxBodyBytesInFlight())); // Javalin puts its handlers inside it
      });
      // Before-handlers run in the order added: the client is known first (for every log line), the
      // gate refuses next, then the key is checked, then a route's own checks (AdminKeysApi's) may read it.
      forwarding.configure(c);
      gate.configure(c);
      auth.configure(c);
      api.configure(c);
      new UploadsApi(uploads, disk, config.maxUploadBytes()).configure(c);
      new FileServing(blobs).configure(c);
      new MetricsApi(metrics, auth, config.metricsPublic()).configure(c);
      new UsageApi(db).configure(c);
      new AdminKeysApi(keys).configure(c);
      new WebPages(links).configure(c);
      new OpenApiDocs().configure(c);
      new McpEndpoint(auth, gate, forwarding, tasks, dispatcher::cancelLocal, metrics.requests()).configure(c);
    });
    opened.push(http::stop);
    try {
      http.start();
    } catch (RuntimeException e) {
      throw StartException.of("cannot listen on " + config.host() + ":" + port + (httpPort != 0 ? " and " + httpPort : "")
          + " (REFRAIN_HOST, REFRAIN_PORT" + (httpPort != 0 ? ", REFRAIN_HTTP_PORT" : "") + ")", e);
    }
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("housekeeping").unstarted(r));
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        uploads.sweep();
      } catch (RuntimeException e) {
        log.warn("sweeping expired uploads failed", e);
      }
    }, 1, 10, TimeUnit.MINUTES);
    Duration outputTtl = config.storage().outputTtl();
    if (!outputTtl.isZero()) {
      // Hourly, or at a tenth of a short TTL so outputs never outlive it by much.
      long every = Math.clamp(outputTtl.toMillis() / 10, 1_000, Duration.ofHours(1).toMillis());
      housekeeping.scheduleWithFixedDelay(() -> sweepOutputs(outputTtl), 0, every, TimeUnit.MILLISECONDS);
    }
    log.info("Refrain listening on {}:{}{} (public base {}), engine {} x{}, backends {}, database {}, storage {}", config.host(), port,
        tls == null ? "" : httpPort == 0 ? " over HTTPS" : " over HTTPS, plain HTTP on " + httpPort, baseUrl, config.engine(),
        config.engineConcurrency(), config.backends(), db.dialect().name().toLowerCase(java.util.Locale.ROOT),
        config.storage().s3() ? "s3://" + config.storage().bucket() + "/" + config.storage().prefix() : "disk");
  }

  private void sweepOutputs(Duration ttl) {
    try {
      int n = blobs.deleteOlderThan("outputs/", Instant.now().minus(ttl));
      if (n > 0) log.info("deleted {} output(s) older than {}", n, ttl);
    } catch (IOException | RuntimeException e) {
      log.warn("sweeping old outputs failed", e);
    }
  }

  /**
   * Starts a node, or throws {@link StartException} saying why it could not, having closed whatever
   * it had started: no thread, pool or listener outlives a failed start.
   */
  public static Server start(Config config) {
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      return new Server(config, opened);
    } catch (IOException | RuntimeException | Error e) {
      for (AutoCloseable part : opened) {
        try {
          part.close();
        } catch (Exception | Error suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e instanceof StartException s ? s : new StartException(StartException.reason(e), e);
    }
  }

  private static <T> T step(String what, Callable<T> action) {
    try {
      return action.call();
    } catch (Exception e) {
      throw StartException.of(what, e);
    }
  }

  /** HTTPS from the operator's PEM files, or from the local CA kept in the data dir; null when TLS is off. */
  private static ServerTls startTls(Config config) {
    if (config.tls().local()) {
      return step("HTTPS", () -> ServerTls.local(LocalCa.open(config.dataDir().resolve(LocalCa.FOLDER), java.time.Clock.systemUTC()), ServerTls.POLL));
    }
    if (config.tls().cert() == null) return null;
    return step("HTTPS", () -> ServerTls.fromFiles(config.tls().cert(), config.tls().key(), ServerTls.POLL));
  }

  /** The data dir must be a folder this process can write: checked first, so the error names it. */
  private static void prepareDataDir(Config config) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
      clearScratch(config.scratchDir());
      Path probe = Files.createTempFile(config.scratchDir(), "probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new StartException("data dir " + dir + " is not usable (REFRAIN_DATA_DIR): " + whyUnusable(e), e);
    }
  }

  /** Before the slow parts (database, storage): a port in use is the commonest start failure. */
  private static void checkPortFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new StartException("cannot listen on " + host + ":" + port + " (REFRAIN_HOST, REFRAIN_PORT): "
          + (e instanceof java.net.BindException ? "the port is already in use" : StartException.reason(e)), e);
    }
  }

  private static String whyUnusable(IOException e) {
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) return e.getMessage() + " is a file, not a folder";
    if (e instanceof AccessDeniedException) return "permission denied on " + e.getMessage();
    // All the kernel said was ENOENT (procfs says it for any new entry); the exception keeps only the name.
    if (e instanceof NoSuchFileException) return e.getMessage() + " cannot be created there";
    if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getFile() + ": " + fs.getReason();
    return StartException.reason(e);
  }

  /** The local engine named by REFRAIN_ENGINE (preview unless a test or benchmark adds its own). */
  private static Engine localEngine(Config config) {
    Map<String, EngineProvider> providers = new TreeMap<>();
    for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) providers.put(p.name(), p);
    EngineProvider p = providers.get(config.engine());
    if (p == null) {
      throw new Config.ConfigException("REFRAIN_ENGINE names unknown engine '" + config.engine() + "'; available: "
          + String.join(", ", providers.keySet()));
    }
    return p.create(config);
  }

  /** Backends first; the local engine only for task types no backend serves, unless the operator turned that off. */
  private Optional<String> route(TaskType type, Engine local, boolean fallback) {
    if (backends != null && backends.serves(type)) return Optional.of(backends.name());
    return backends == null || fallback ? Optional.of(local.name()) : Optional.empty();
  }

  private boolean databaseAnswers() {
    try {
      return db.read(c -> c.isValid(2));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Files left in the scratch folder belong to work a previous run never finished: the queue redoes it. */
  private static void clearScratch(Path scratch) throws IOException {
    Files.createDirectories(scratch);
    try (var files = Files.list(scratch)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** Every HTTP route served, as method and path in Javalin's syntax ({@code GET /api/v1/task/{id}}). */
  public List<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The plain-HTTP listener's port beside HTTPS (REFRAIN_HTTP_PORT); 0 when there is none. */
  public int httpPort() {
    return httpPort;
  }

  /** The local CA clients must trust, when REFRAIN_TLS_LOCAL made the certificate. */
  public Optional<LocalCa> localCa() {
    return tls == null ? Optional.empty() : tls.localCa();
  }

  public ApiKeys keys() {
    return keys;
  }

  public Database database() {
    return db;
  }

  /** Stops taking work, lets in-flight requests finish, and leaves unfinished tasks leased for a later start. */
  @Override
  public void close() {
    gate.stop();
    watch.wakeAll(); // event streams and waiting requests answer now rather than at their next check
    housekeeping.shutdownNow();
    dispatcher.close();
    if (tls != null) tls.close();
    http.stop();
    webhooks.close();
    if (backends != null) backends.close();
    blobs.close();
    metrics.close();
    db.close();
  }
}
