package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.store.LedgerStore;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key management over HTTP, for admin keys only. */
class AdminKeysApiTest {
  private static TestServer ts;
  private static String admin;
  private static String adminId;

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
    var issued = ts.server.keys().create("root", null, null, true);
    admin = issued.secret();
    adminId = issued.record().id();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void anAdminCreatesAKeyWhoseSecretIsShownOnceAndWorks() {
    Reply made = ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "alice", "credits", 2.5, "max_concurrent", 2));
    assertThat(made.status()).as("%s", made.body()).isEqualTo(200);
    String secret = made.data().path("secret").asText();
    JsonNode key = made.data().path("key");
    assertThat(secret).startsWith("rk_");
    assertThat(key.path("name").asText()).isEqualTo("alice");
    assertThat(key.path("balance").asLong()).isEqualTo(25_000_000);
    assertThat(key.path("credits").asDouble()).isEqualTo(2.5);
    assertThat(key.path("max_concurrent").asInt()).isEqualTo(2);
    assertThat(key.path("admin").asBoolean()).isFalse();
    assertThat(key.path("unlimited").asBoolean()).isFalse();
    assertThat(secret).startsWith(key.path("prefix").asText());

    Reply info = ts.client.get("/account/info", secret);
    assertThat(info.data().path("account_name").asText()).isEqualTo("alice");
    assertThat(info.data().path("admin").asBoolean()).isFalse();
    assertThat(ts.client.get("/account/info", admin).data().path("admin").asBoolean()).isTrue();

    // The listing never carries a secret or a hash.
    Reply list = ts.client.get("/api/v1/admin/keys", admin);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.data().path("keys").findValuesAsText("name")).contains("root", "alice");
    String raw = new String(list.raw().body());
    assertThat(raw).doesNotContain(secret).doesNotContain("hash").doesNotContain("secret");
  }

  @Test
  void withoutCreditsAKeyIsUnlimited() {
    Reply made = ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "ops", "admin", true));
    JsonNode key = made.data().path("key");
    assertThat(key.path("unlimited").asBoolean()).isTrue();
    assertThat(key.path("balance").isNull()).isTrue();
    assertThat(key.path("credits").isNull()).isTrue();
    assertThat(key.path("max_concurrent").isNull()).isTrue();
    assertThat(key.path("admin").asBoolean()).isTrue();
    // No limit of its own: the server's default applies.
    Reply info = ts.client.get("/account/info", made.data().path("secret").asText());
    assertThat(info.data().path("max_concurrent_task_count").asInt()).isEqualTo(4);
  }

  @Test
  void aDisabledKeyIsRefusedUntilEnabledAgain() {
    Reply made = ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "bob", "credits", 1));
    String id = made.data().path("key").path("id").asText();
    String secret = made.data().path("secret").asText();

    Reply off = ts.client.post("/api/v1/admin/keys/" + id + "/disable", admin, "{}");
    assertThat(off.data().path("disabled").asBoolean()).isTrue();
    assertThat(ts.client.get("/account/info", secret).status()).isEqualTo(403);

    Reply on = ts.client.post("/api/v1/admin/keys/" + id + "/enable", admin, "{}");
    assertThat(on.data().path("disabled").asBoolean()).isFalse();
    assertThat(ts.client.get("/account/info", secret).status()).isEqualTo(200);
  }

  @Test
  void creditsAddToTheBalanceAsALedgerRow() {
    String id = ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "carol", "credits", 1))
        .data().path("key").path("id").asText();
    Reply topped = ts.client.post("/api/v1/admin/keys/" + id + "/credits", admin, Map.of("credits", 0.25));
    assertThat(topped.status()).as("%s", topped.body()).isEqualTo(200);
    assertThat(topped.data().path("balance").asLong()).isEqualTo(12_500_000);
    var ledger = ts.server.database().read(c -> new LedgerStore().forKey(c, id));
    assertThat(ledger).extracting(e -> e.kind() + " " + e.units()).containsExactly("credit 10000000", "credit 2500000");
  }

  @Test
  void otherKeysGet403AndNoKeyGets401() {
    String plain = ts.newKey();
    for (Reply r : new Reply[] {
        ts.client.get("/api/v1/admin/keys", plain),
        ts.client.post("/api/v1/admin/keys", plain, Map.of("name", "x")),
        ts.client.post("/api/v1/admin/keys/" + adminId + "/disable", plain, "{}"),
        ts.client.post("/api/v1/admin/keys/" + adminId + "/credits", plain, Map.of("credits", 1))}) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.message()).isEqualTo("key management needs an admin key");
    }
    assertThat(ts.client.get("/api/v1/admin/keys", null).status()).isEqualTo(401);
  }

  @Test
  void mistakesAreNamed() {
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("credits", 1)))).isEqualTo("400 name is required");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, "[1]"))).isEqualTo("400 request body must be a JSON object");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "x", "credits", -1))))
        .startsWith("400 credits must be an amount in USD");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "x", "credits", "5"))))
        .startsWith("400 credits must be an amount in USD");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "x", "credits", 0.000000001))))
        .contains("at most 7 decimals");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "x", "max_concurrent", 0))))
        .isEqualTo("400 max_concurrent must be a whole number from 1 to 10000");
    assertThat(error(ts.client.post("/api/v1/admin/keys", admin, Map.of("name", "x", "admin", "yes"))))
        .isEqualTo("400 admin must be true or false");
    assertThat(error(ts.client.post("/api/v1/admin/keys/nope/disable", admin, "{}"))).isEqualTo("404 key nope not found");
    assertThat(error(ts.client.post("/api/v1/admin/keys/nope/credits", admin, Map.of("credits", 1)))).isEqualTo("404 key nope not found");
    assertThat(error(ts.client.post("/api/v1/admin/keys/" + adminId + "/credits", admin, Map.of("credits", 1))))
        .contains("is unlimited");
    assertThat(error(ts.client.post("/api/v1/admin/keys/" + adminId + "/credits", admin, Map.of("credits", 0))))
        .startsWith("400 credits must be an amount in USD above 0");
    assertThat(error(ts.client.post("/api/v1/admin/keys/" + adminId + "/disable", admin, "{}")))
        .isEqualTo("400 the key this request is signed with can't disable itself");
  }

  private static String error(Reply r) {
    assertThat(r.body().path("code").asInt()).isEqualTo(r.status());
    assertThat(r.body().path("data").isNull()).isTrue();
    return r.status() + " " + r.message();
  }
}
