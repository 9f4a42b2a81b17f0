package dev.refrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import dev.refrain.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `refrain keys ...` as a real process against a real store (SQLite or PostgreSQL, see TestDatabases). */
class KeysCommandTest {
  static CliProcess.Run keys(Path dir, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("REFRAIN_DATA_DIR", dir.toString()));
    if (TestDatabases.postgresql()) env.put("REFRAIN_DATABASE_URL", TestDatabases.url(dir));
    return CliProcess.run(env, "keys", args);
  }

  @Test
  void createListDisableEnable() throws Exception {
    Path dir = Files.createTempDirectory("refrain-cli-");
    CliProcess.Run created = keys(dir, "create", "--name", "alice", "--credits", "2.5", "--max-concurrent", "3");
    assertThat(created.exit()).as(created.out()).isZero();
    String[] lines = created.out().strip().split("\n");
    String secret = lines[lines.length - 1].strip();
    assertThat(secret).startsWith("rk_").hasSizeGreaterThan(40);
    assertThat(created.out()).contains("alice").contains("$2.5");

    CliProcess.Run unlimited = keys(dir, "create", "--name", "ops");
    assertThat(unlimited.out()).contains("unlimited");

    CliProcess.Run list = keys(dir, "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("alice").contains("ops").contains("2.5").contains("enabled").doesNotContain(secret);

    assertThat(keys(dir, "disable", "alice").exit()).isZero();
    assertThat(keys(dir, "list").out()).contains("disabled");
    try (Database db = Database.open(TestDatabases.url(dir))) {
      ApiKeys k = new ApiKeys(db);
      KeyRecord alice = k.lookup(secret).orElseThrow();
      assertThat(alice.disabled()).isTrue();
      assertThat(alice.balance()).isEqualTo(25_000_000L);
      assertThat(alice.maxConcurrent()).isEqualTo(3);
      // Only the hash is stored: the database never contains the secret.
      if (TestDatabases.postgresql()) {
        String everyKeyColumn = db.read(c -> {
          try (var rs = c.createStatement().executeQuery("SELECT string_agg(k::text, ',') FROM api_keys k")) {
            rs.next();
            return rs.getString(1);
          }
        });
        assertThat(everyKeyColumn).contains(alice.keyHash()).doesNotContain(secret);
      } else {
        assertThat(Files.readAllBytes(dir.resolve("refrain.db"))).asString(StandardCharsets.ISO_8859_1).doesNotContain(secret);
      }
    }
    assertThat(keys(dir, "enable", "alice").exit()).isZero();
  }

  @Test
  void mistakesAreExplainedWithoutAStackTrace() throws Exception {
    Path dir = Files.createTempDirectory("refrain-cli-");
    CliProcess.Run noName = keys(dir, "create");
    assertThat(noName.exit()).isEqualTo(2);
    assertThat(noName.out()).contains("--name is required").doesNotContain("Exception");
    CliProcess.Run badCredits = keys(dir, "create", "--name", "x", "--credits", "lots");
    assertThat(badCredits.exit()).isEqualTo(2);
    assertThat(badCredits.out()).contains("--credits must be an amount in USD");
    CliProcess.Run unknown = keys(dir, "disable", "nobody");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.out()).contains("no key with id or name 'nobody'");
  }
}
