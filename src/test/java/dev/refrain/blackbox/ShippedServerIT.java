package dev.refrain.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.blackbox.ReadmeWalk.Block;
import dev.refrain.testing.Api;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestStorage;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The black-box stage: the project as shipped, run as a user runs it and driven only from outside.
 *
 * <p>The tree git knows (tracked files and untracked ones it does not ignore: no target/, no
 * node_modules/, no data/) is copied to a fresh folder, where {@code ./refrain serve} builds it and
 * serves it with nothing but a user's environment. Then the README's walk-through is run as written,
 * MCP is spoken over HTTP and stdio with the official SDK's client, the CLI is run, the pages are
 * fetched, and SIGTERM stops it. All of it twice: on SQLite with files on disk (the default), and on
 * PostgreSQL with files on S3, configured as the README's "Many machines" says.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class ShippedServerIT {
  static final Duration BUILD_LIMIT = Duration.ofMinutes(10);
  static final ObjectMapper JSON = new ObjectMapper();
  static Path root;
  static Path tree;
  static long itStart;
  static final List<String> times = new ArrayList<>();

  @BeforeAll
  static void copyTheProjectAsGitSeesIt() throws Exception {
    itStart = System.nanoTime();
    Path project = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    root = Files.createTempDirectory("refrain-shipped-");
    tree = root.resolve("refrain");
    Processes.Run files = Processes.run(project, Map.of(), Duration.ofSeconds(60),
        List.of("git", "ls-files", "-co", "--exclude-standard", "-z"));
    assertThat(files.exit()).as(files.both()).isZero();
    int copied = 0;
    for (String name : files.out().split("\0")) {
      Path from = project.resolve(name);
      if (name.isEmpty() || !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) continue; // deleted, not yet committed
      Path to = tree.resolve(name);
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      copied++;
    }
    assertThat(tree.resolve("refrain")).isExecutable();
    assertThat(tree.resolve("target")).doesNotExist();
    report("copied " + copied + " files to " + tree);
  }

  @AfterAll
  static void deleteTheCopy() throws IOException {
    if (root != null) deleteTree(root);
    report("total time of the black-box stage: " + seconds(System.nanoTime() - itStart));
    System.out.println("[shipped] ---- times");
    times.forEach(t -> System.out.println("[shipped] " + t));
  }

  static void report(String line) {
    System.out.println("[shipped] " + line);
  }

  static String seconds(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }

  static String seconds(Duration d) {
    return seconds(d.toNanos());
  }

  @Nested
  @Order(1)
  @DisplayName("sqlite and disk")
  class SqliteAndDisk extends Stage {
    @Override
    String name() {
      return "sqlite and disk";
    }

    @Override
    Map<String, String> settings() {
      return Map.of(); // the defaults: ./data/refrain.db and ./data/files
    }

    @Test
    @Order(3)
    void keepsItsStoreAndItsFilesUnderDotData() throws IOException {
      assertThat(tree.resolve("data/refrain.db")).isNotEmptyFile();
      try (Stream<Path> files = Files.walk(tree.resolve("data/files"))) {
        assertThat(files.map(Path::toString)).as("outputs on disk").anyMatch(f -> f.contains("outputs") && f.endsWith(".mp3"));
      }
    }
  }

  @Nested
  @Order(2)
  @DisplayName("postgresql and s3")
  @DisabledIfSystemProperty(named = "refrain.test.postgresql.skip", matches = ".*")
  class PostgresqlAndS3 extends Stage {
    @Override
    String name() {
      return "postgresql and s3";
    }

    @Override
    Map<String, String> settings() {
      // As "Many machines" says: the database, the bucket (which must exist) and an S3-compatible endpoint.
      Map<String, String> s = new HashMap<>(TestStorage.s3("refrain-shipped"));
      s.put("REFRAIN_STORAGE", "s3://refrain-shipped/prod");
      s.put("REFRAIN_DATABASE_URL", TestDatabases.fresh());
      return s;
    }

    @Test
    @Order(3)
    void keepsItsFilesInTheBucketAndNoSqliteStore() {
      assertThat(tree.resolve("data/refrain.db")).doesNotExist();
      try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
          .endpointOverride(URI.create(settings.get("REFRAIN_S3_ENDPOINT"))).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
              settings.get("REFRAIN_S3_ACCESS_KEY_ID"), settings.get("REFRAIN_S3_SECRET_ACCESS_KEY"))))
          .build()) {
        List<String> keys = s3.listObjectsV2(b -> b.bucket("refrain-shipped").prefix("prod/")).contents().stream().map(S3Object::key).toList();
        assertThat(keys).as("objects under s3://refrain-shipped/prod/").anyMatch(k -> k.contains("outputs/") && k.endsWith(".mp3"));
      }
    }
  }

  /** One run of the whole stage on one store and storage; the server is started once, in {@link #serve()}. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  abstract class Stage {
    ShippedServer server;
    Api api;
    Map<String, String> settings;
    Path scratch;
    boolean hadJar;

    abstract String name();

    /** The REFRAIN_ settings of this stage, beyond REFRAIN_PORT. */
    abstract Map<String, String> settings();

    @BeforeAll
    void serve() throws Exception {
      settings = settings();
      deleteTree(tree.resolve("data")); // a fresh store: the first start prints a first key
      hadJar = Files.exists(tree.resolve("target/refrain.jar"));
      scratch = Files.createDirectories(root.resolve("scratch-" + name().replace(' ', '-')));
      Path log = Path.of("target", "shipped-server-it", name().replace(' ', '-') + ".log").toAbsolutePath();
      server = ShippedServer.start(tree, settings, log, BUILD_LIMIT);
      api = new Api(server.base);
      report(name() + ": " + (server.built ? "fresh build (./mvnw package inside ./refrain serve)" : "no build needed; script")
          + " until the JVM started: " + seconds(server.untilJvm));
      report(name() + ": first /healthz 200 after " + seconds(server.untilHealthy) + " from ./refrain serve ("
          + seconds(server.untilHealthy.minus(server.untilJvm)) + " after the JVM started); log " + log);
      if (server.built) times.add(name() + ": fresh build " + seconds(server.untilJvm));
      times.add(name() + ": first /healthz after " + seconds(server.untilHealthy));
    }

    @AfterAll
    void stop() {
      if (server != null) server.close();
    }

    @Test
    @Order(1)
    void startsWithOnlyTheDocumentedEnvironmentAndPrintsAFirstKey() {
      assertThat(server.built).as("./refrain serve builds exactly when there is no jar yet").isEqualTo(!hadJar);
      assertThat(server.key).startsWith("rk_");
      assertThat(server.healthz()).isEqualTo(200);
      assertThat(server.process.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void theReadmeWalkThroughRunsAsWritten() throws Exception {
      String readme = Files.readString(tree.resolve("README.md"));
      List<Block> blocks = ReadmeWalk.section(readme, "## A walk through the four task types");
      assertThat(blocks).as("the walk-through's sh blocks").hasSizeGreaterThanOrEqualTo(6);
      WalkThrough walk = new WalkThrough(server, Files.createDirectories(scratch.resolve("walk")), name());
      for (Block b : blocks) walk.run(b);

      assertThat(walk.uploads).as("the walk-through uploads an input").hasSize(1);
      assertThat(walk.outcomes()).as("the four task types, each completed").containsExactlyInAnyOrderEntriesOf(Map.of(
          "txt2audio", "completed", "audio2audio", "completed", "edit", "completed", "extend", "completed"));
      assertThat(server.healthz()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void mcpOverStreamableHttpCallsAToolToTheEnd() throws Exception {
      HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.base)
          .endpoint("/mcp")
          .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + server.key))
          .build();
      mcpRoundTrip(transport, "http");
    }

    @Test
    @Order(4)
    void mcpOverStdioFromThePackagedJarCallsAToolToTheEnd() throws Exception {
      // `env -i`: the client starts it with what its config names and nothing of this test's environment.
      List<String> args = new ArrayList<>(List.of("-i"));
      Processes.userEnv().forEach((k, v) -> args.add(k + "=" + v));
      args.addAll(List.of("REFRAIN_URL=" + server.base, "REFRAIN_API_KEY=" + server.key, tree.resolve("refrain").toString(), "mcp"));
      ServerParameters params = ServerParameters.builder("/usr/bin/env").args(args).build();
      mcpRoundTrip(new StdioClientTransport(params, McpJsonDefaults.getMapper()), "stdio");
    }

    /** initialize, tools/list (the five tools the README names), and one txt2audio call to its end (10 s: the shortest allowed). */
    void mcpRoundTrip(McpClientTransport transport, String how) throws Exception {
      McpSyncClient client = McpClient.sync(transport)
          .requestTimeout(Duration.ofSeconds(120))
          .initializationTimeout(Duration.ofSeconds(60))
          .build();
      try {
        InitializeResult init = client.initialize();
        assertThat(init.serverInfo().name()).as("the server's name").isNotBlank();
        assertThat(init.capabilities().tools()).as("the tools capability").isNotNull();

        assertThat(client.listTools().tools()).extracting(Tool::name)
            .containsExactlyInAnyOrderElementsOf(toolsTheReadmeNames());

        long t0 = System.nanoTime();
        CallToolResult r = client.callTool(CallToolRequest.builder()
            .name("piapi_qubico_ace_step_txt2audio")
            .arguments(Map.of("style_prompt", "calm piano, 90 bpm", "duration", 10, "seed", 7))
            .build());
        String text = ((TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(text).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) r.structuredContent();
        assertThat(result).containsEntry("status", "completed").containsKey("task_id");
        String url = (String) result.get("audio_url");
        assertThat(url).startsWith(server.base + "/files/").isEqualTo(text);
        double got = decodedSeconds(url);
        report(name() + ": MCP over " + how + ": txt2audio 10 s in " + seconds(System.nanoTime() - t0) + ", " + url + " decodes to " + got + " s");
        assertThat(got).isCloseTo(10.0, within(0.5));
      } finally {
        client.closeGracefully();
      }
    }

    /** The tool names the README's MCP section gives, in backticks. */
    Set<String> toolsTheReadmeNames() throws IOException {
      String readme = Files.readString(tree.resolve("README.md"));
      int from = readme.indexOf("## MCP");
      assertThat(from).as("README.md has an MCP section").isNotNegative();
      int to = readme.indexOf("\n## ", from + 1);
      Matcher m = Pattern.compile("`(piapi_[a-z0-9_]+)`").matcher(readme.substring(from, to < 0 ? readme.length() : to));
      Set<String> names = new LinkedHashSet<>();
      while (m.find()) names.add(m.group(1));
      assertThat(names).as("the tools the README names").hasSize(5).contains("piapi_qubico_ace_step_txt2audio", "piapi_get_task");
      return names;
    }

    @Test
    @Order(5)
    void theTaskCliCreatesWaitsAndDownloads() throws Exception {
      // Called from the user's own folder: its relative file arguments are the user's, not the install's.
      Files.writeString(scratch.resolve("cli-lyrics.txt"), "[verse]\nsing it from my folder\n");
      Path song = scratch.resolve("cli-song.mp3");
      long t0 = System.nanoTime();
      Processes.Run r = Processes.run(scratch, Map.of("REFRAIN_URL", server.base, "REFRAIN_API_KEY", server.key), Duration.ofMinutes(2),
          List.of(tree.resolve("refrain").toString(), "task", "create", "--type", "txt2audio", "--style", "upbeat pop, piano",
              "--lyrics-file", "cli-lyrics.txt", "--duration", "10", "--seed", "3", "--wait", "--download", "cli-song.mp3"));
      assertThat(r.exit()).as(r.both()).isZero();
      assertThat(r.out()).as(r.both()).containsPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
      double got = AudioDecoder.decode(Files.readAllBytes(song), 600).seconds();
      report(name() + ": ./refrain task create --wait --download: " + seconds(System.nanoTime() - t0) + ", " + got + " s of audio");
      assertThat(got).isCloseTo(10.0, within(0.5));
    }

    @Test
    @Order(6)
    void theKeysCliCreatesAKeyThatTheListShows() throws Exception {
      Processes.Run created = refrain(settings, "keys", "create", "--name", "shipped-it", "--credits", "3");
      assertThat(created.exit()).as(created.both()).isZero();
      String[] lines = created.out().strip().split("\n");
      String secret = lines[lines.length - 1].strip();
      assertThat(secret).as(created.both()).startsWith("rk_");

      Processes.Run list = refrain(settings, "keys", "list");
      assertThat(list.exit()).as(list.both()).isZero();
      assertThat(list.out()).contains("shipped-it").doesNotContain(secret);
      // The key the CLI made works on the running server: they share the store.
      assertThat(api.get("/account/info", secret).status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void backendsCheckSaysNoneAreConfigured() throws Exception {
      Processes.Run r = refrain(settings, "backends", "check");
      assertThat(r.exit()).as(r.both()).isZero();
      assertThat(r.out()).as(r.both()).contains("no backends configured");
    }

    @Test
    @Order(8)
    void servesTheWorkspaceItsAssetsTheDocsAndTheOpenApiDocument() throws Exception {
      HttpResponse<byte[]> page = api.download(server.base + "/", Map.of());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
      String html = new String(page.body(), StandardCharsets.UTF_8);

      Map<String, String> assets = new HashMap<>(); // url -> the kind of content it must be
      Matcher scripts = Pattern.compile("<script\\b[^>]*\\bsrc=\"([^\"]+)\"").matcher(html);
      while (scripts.find()) assets.put(scripts.group(1), "javascript");
      Matcher links = Pattern.compile("<link\\b[^>]*>").matcher(html);
      while (links.find()) {
        String tag = links.group();
        Matcher rel = Pattern.compile("\\brel=\"([^\"]+)\"").matcher(tag);
        Matcher href = Pattern.compile("\\bhref=\"([^\"]+)\"").matcher(tag);
        if (!rel.find() || !href.find()) continue;
        if (rel.group(1).equals("stylesheet")) assets.put(href.group(1), "text/css");
        if (rel.group(1).equals("modulepreload")) assets.put(href.group(1), "javascript");
      }
      assertThat(assets).as("the page's scripts and stylesheets:\n%s", html).containsValue("javascript").containsValue("text/css");
      assets.forEach((src, kind) -> {
        String url = URI.create(server.base + "/").resolve(src).toString();
        HttpResponse<byte[]> r = api.download(url, Map.of());
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as("the Content-Type of %s", url).get().asString().contains(kind);
        assertThat(r.body()).as(url).isNotEmpty();
      });

      HttpResponse<byte[]> docs = api.download(server.base + "/docs", Map.of());
      assertThat(docs.statusCode()).isEqualTo(200);
      assertThat(docs.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");

      HttpResponse<byte[]> openapi = api.download(server.base + "/openapi.json", Map.of());
      assertThat(openapi.statusCode()).isEqualTo(200);
      assertThat(openapi.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
      JsonNode doc = JSON.readTree(openapi.body());
      assertThat(doc.path("openapi").asText()).startsWith("3.1");
    }

    @Test
    @Order(9)
    void sigtermStopsItWithinTenSecondsExitingZero() throws Exception {
      long t0 = System.nanoTime();
      server.process.destroy(); // SIGTERM, to the JVM the script exec'd
      boolean ended = server.process.waitFor(10, TimeUnit.SECONDS);
      assertThat(ended).as("stopped within 10 s of SIGTERM\n%s", server.tail()).isTrue();
      report(name() + ": SIGTERM to exit in " + seconds(System.nanoTime() - t0));
      assertThat(server.process.exitValue()).as("exit status after SIGTERM\n%s", server.tail()).isZero();
      assertThat(server.healthz()).isEqualTo(-1);
    }

    /** {@code ./refrain <args>} in the copy, with the user's environment plus {@code env}. */
    Processes.Run refrain(Map<String, String> env, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of("./refrain"));
      command.addAll(List.of(args));
      return Processes.run(tree, env, Duration.ofMinutes(2), command);
    }

    double decodedSeconds(String url) throws Exception {
      HttpResponse<byte[]> r = api.download(url, Map.of());
      assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
      return AudioDecoder.decode(r.body(), 600).seconds();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
