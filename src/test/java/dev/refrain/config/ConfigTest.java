package dev.refrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    Config c = Config.fromMap(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.engine()).isEqualTo("preview");
    assertThat(c.maxDurationSeconds()).isEqualTo(240);
    assertThat(c.fetchAllowPrivate()).isFalse();
    assertThat(c.webhookAllowPrivate()).isFalse();
    assertThat(c.metricsPublic()).isFalse();
    assertThat(c.webhookBaseDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.unitsPerSecond()).containsEntry("txt2audio", 5000L).containsEntry("extend", 5000L);
    assertThat(c.databaseUrl()).startsWith("sqlite:").endsWith("data/refrain.db");
    assertThat(c.baseUrl(8080)).isEqualTo("http://localhost:8080");
    assertThat(c.tls().enabled()).isFalse();
    assertThat(c.tls().local()).isFalse();
    assertThat(c.tls().httpPort()).isZero();
    assertThat(c.nodeName()).as("the host name").isNotBlank().matches("[A-Za-z0-9._-]+");
  }

  @Test
  void tlsSettingsComeFromTheEnvironmentOrTheFileAndMakeTheBaseHttps() throws Exception {
    Config files = Config.fromMap(Map.of("REFRAIN_TLS_CERT", "certs/chain.pem", "REFRAIN_TLS_KEY", "/etc/k.pem", "REFRAIN_HTTP_PORT", "8081"));
    assertThat(files.tls().enabled()).isTrue();
    assertThat(files.tls().cert()).isAbsolute().endsWithRaw(Path.of("certs", "chain.pem"));
    assertThat(files.tls().key()).isEqualTo(Path.of("/etc/k.pem"));
    assertThat(files.tls().httpPort()).isEqualTo(8081);
    assertThat(files.baseUrl(8443)).isEqualTo("https://localhost:8443");
    Path f = Files.createTempFile("refrain", ".properties");
    Files.writeString(f, "tls_local=true\nhttp_port=9001\n");
    Config local = Config.load(Map.of("REFRAIN_CONFIG", f.toString()));
    assertThat(local.tls().local()).isTrue();
    assertThat(local.tls().enabled()).isTrue();
    assertThat(local.tls().httpPort()).isEqualTo(9001);
    assertThat(local.baseUrl(8080)).isEqualTo("https://localhost:8080");
    // The public base still wins.
    assertThat(Config.fromMap(Map.of("REFRAIN_TLS_LOCAL", "true", "REFRAIN_PUBLIC_BASE_URL", "https://x.example")).baseUrl(1)).isEqualTo("https://x.example");
  }

  @Test
  void tlsMistakesNameTheSettings() {
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_CERT", "c.pem")))
        .hasMessageContaining("REFRAIN_TLS_CERT and REFRAIN_TLS_KEY must be set together");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_KEY", "k.pem")))
        .hasMessageContaining("REFRAIN_TLS_CERT and REFRAIN_TLS_KEY must be set together");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_LOCAL", "true", "REFRAIN_TLS_CERT", "c.pem", "REFRAIN_TLS_KEY", "k.pem")))
        .hasMessageContaining("REFRAIN_TLS_LOCAL=true makes its own certificate");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_LOCAL", "maybe"))).hasMessageContaining("REFRAIN_TLS_LOCAL must be true or false");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_HTTP_PORT", "8081"))).hasMessageContaining("REFRAIN_HTTP_PORT adds a plain-HTTP listener");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_LOCAL", "true", "REFRAIN_HTTP_PORT", "8080")))
        .hasMessageContaining("REFRAIN_HTTP_PORT must differ from REFRAIN_PORT");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TLS_LOCAL", "true", "REFRAIN_HTTP_PORT", "70000")))
        .hasMessageContaining("REFRAIN_HTTP_PORT must be between 0 and 65535");
  }

  @Test
  void theFileIsReadAndTheEnvironmentWins() throws Exception {
    Path f = Files.createTempFile("refrain", ".properties");
    Files.writeString(f, "port=9000\nengine=gate\nwebhook_base_delay=250ms\npublic_base_url=https://x.example/\n");
    Config c = Config.load(Map.of("REFRAIN_CONFIG", f.toString(), "REFRAIN_PORT", "9100", "PATH", "/bin"));
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.engine()).isEqualTo("gate");
    assertThat(c.webhookBaseDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.baseUrl(9100)).isEqualTo("https://x.example");
  }

  @Test
  void mistakesNameTheSetting() {
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_PORTT", "1"))).hasMessageContaining("unknown setting REFRAIN_PORTT");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_PORT", "http"))).hasMessageContaining("REFRAIN_PORT must be a whole number");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_LEASE", "soon"))).hasMessageContaining("REFRAIN_LEASE must be a duration");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_FETCH_ALLOW_PRIVATE", "maybe"))).hasMessageContaining("true or false");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_LOG_FORMAT", "xml"))).hasMessageContaining("REFRAIN_LOG_FORMAT must be text or json");
    assertThatThrownBy(() -> Config.load(Map.of("REFRAIN_CONFIG", "/nonexistent.properties"))).hasMessageContaining("not a readable file");
    // A name would be resolved, and trusted as whatever it resolved to: only literals and blocks.
    for (String bad : new String[] {"proxy.internal", "10.0.0.0/99", "10.0.0.1/8/8", "::g", "10.0.0.0 /8"}) {
      assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_TRUSTED_PROXIES", "127.0.0.1," + bad)))
          .as(bad).hasMessageContaining("REFRAIN_TRUSTED_PROXIES").hasMessageContaining("not an IP address or CIDR block");
    }
    assertThat(Config.fromMap(Map.of("REFRAIN_TRUSTED_PROXIES", " 10.0.0.0/8, ::1 ,,192.168.1.7")).trustedProxies())
        .containsExactly("10.0.0.0/8", "::1", "192.168.1.7");
  }

  @Test
  void backendsAreReadFromTheEnvironmentAndTheFileSortedByPreference() throws Exception {
    Path f = Files.createTempFile("refrain", ".properties");
    Files.writeString(f, "backend.gpu-b.kind=acestep-cpp\nbackend.gpu-b.url=http://b:8080/\nbackend.gpu-b.priority=5\n");
    Config c = Config.load(Map.of("REFRAIN_CONFIG", f.toString(),
        "REFRAIN_BACKEND_GPU1_KIND", "acestep-api", "REFRAIN_BACKEND_GPU1_URL", "http://a:8001",
        "REFRAIN_BACKEND_GPU1_SLOTS", "2", "REFRAIN_BACKEND_GPU1_TASK_TYPES", "txt2audio, edit",
        "REFRAIN_BACKEND_GPU1_API_KEY", "secret", "REFRAIN_BACKEND_GPU1_TIMEOUT", "90s",
        "REFRAIN_BACKEND_GPU1_NODES", "gpu-a, gpu-b.lan", "REFRAIN_NODE_NAME", "gpu-a"));
    assertThat(c.backends()).extracting(BackendSettings::name).containsExactly("gpu_b", "gpu1");
    BackendSettings gpu1 = c.backends().get(1);
    assertThat(gpu1.kind()).isEqualTo("acestep-api");
    assertThat(gpu1.slots()).isEqualTo(2);
    assertThat(gpu1.taskTypes()).containsExactlyInAnyOrder("txt2audio", "edit");
    assertThat(gpu1.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(gpu1.nodes()).containsExactlyInAnyOrder("gpu-a", "gpu-b.lan");
    assertThat(c.backends().get(0).nodes()).as("every node").isEmpty();
    assertThat(c.nodeName()).isEqualTo("gpu-a");
    assertThat(gpu1.toString()).doesNotContain("secret");
    assertThat(c.backends().get(0).url()).isEqualTo("http://b:8080");
  }

  @Test
  void backendMistakesNameTheSetting() {
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_BACKEND_X_KIND", "comfy", "REFRAIN_BACKEND_X_URL", "http://x")))
        .hasMessageContaining("REFRAIN_BACKEND_X_KIND must be one of");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_BACKEND_X_KIND", "piapi", "REFRAIN_BACKEND_X_URL", "x:1")))
        .hasMessageContaining("REFRAIN_BACKEND_X_URL must be an http(s) URL");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_BACKEND_X_KIND", "piapi", "REFRAIN_BACKEND_X_URL", "http://x",
        "REFRAIN_BACKEND_X_TASK_TYPES", "txt2img"))).hasMessageContaining("unknown task type 'txt2img'");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_BACKEND_X_KIND", "piapi", "REFRAIN_BACKEND_X_URL", "http://x",
        "REFRAIN_BACKEND_X_SLOTS", "0"))).hasMessageContaining("REFRAIN_BACKEND_X_SLOTS must be between 1 and 1024");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_BACKEND_X_KIND", "piapi", "REFRAIN_BACKEND_X_URL", "http://x",
        "REFRAIN_BACKEND_X_NODES", "a,b c"))).hasMessageContaining("REFRAIN_BACKEND_X_NODES lists 'b c', which is not a node name");
    assertThatThrownBy(() -> Config.fromMap(Map.of("REFRAIN_NODE_NAME", "gpu/1")))
        .hasMessageContaining("REFRAIN_NODE_NAME must be 1 to 64 letters, digits");
  }

  @Test
  void theReadmeDocumentsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Config.Setting s : Config.SETTINGS) {
      String name = s.env();
      boolean listed = readme.contains("`" + name + "`") || (name.startsWith("REFRAIN_UNITS_PER_SECOND_") && readme.contains("`REFRAIN_UNITS_PER_SECOND_TXT2AUDIO`"));
      assertThat(listed).as("README documents %s", name).isTrue();
    }
  }
}
