package dev.refrain.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.auth.ApiKeys;
import dev.refrain.auth.Authenticator;
import dev.refrain.billing.Money;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.store.Clock;
import dev.refrain.store.KeyRecord;
import dev.refrain.task.RequestJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;

/**
 * Key management for admin keys, beyond PiAPI: list, create, disable, enable and credit keys under
 * {@code /api/v1/admin/keys}. Every other key gets 403. Hashes never leave the server; a new key's
 * secret is in the answer that creates it and nowhere else.
 */
public final class AdminKeysApi {
  static final String PATH = "/api/v1/admin/keys";
  private static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000);
  private static final int MAX_NAME = 100;
  private static final int MAX_CONCURRENT = 10_000;

  private final ApiKeys keys;

  public AdminKeysApi(ApiKeys keys) {
    this.keys = keys;
  }

  public void configure(JavalinConfig config) {
    var r = config.routes;
    r.before(PATH, AdminKeysApi::requireAdmin);
    r.before(PATH + "/*", AdminKeysApi::requireAdmin);
    r.get(PATH, this::list);
    r.post(PATH, this::create);
    r.post(PATH + "/{id}/disable", ctx -> setDisabled(ctx, true));
    r.post(PATH + "/{id}/enable", ctx -> setDisabled(ctx, false));
    r.post(PATH + "/{id}/credits", this::credit);
  }

  private static void requireAdmin(Context ctx) {
    if (!Authenticator.key(ctx).admin()) throw new ApiError(403, "key management needs an admin key");
  }

  private void list(Context ctx) {
    ObjectNode data = Json.object();
    ArrayNode list = data.putArray("keys");
    keys.list().forEach(k -> list.add(view(k)));
    Envelope.send(ctx, 200, Envelope.ok(data));
  }

  private void create(Context ctx) {
    JsonNode body = RequestJson.object(RequestBody.bytes(ctx));
    JsonNode nameNode = body.path("name");
    if (!nameNode.isTextual() || nameNode.asText().isBlank()) throw ApiError.badRequest("name is required");
    String name = nameNode.asText().trim();
    if (name.length() > MAX_NAME) throw ApiError.badRequest("name must be at most " + MAX_NAME + " characters");
    JsonNode creditsNode = body.path("credits");
    Long credits = creditsNode.isMissingNode() || creditsNode.isNull() ? null : units("credits", creditsNode, false);
    JsonNode mcNode = body.path("max_concurrent");
    Integer maxConcurrent = null;
    if (!mcNode.isMissingNode() && !mcNode.isNull()) {
      if (!mcNode.canConvertToInt() || !mcNode.isIntegralNumber() || mcNode.asInt() < 1 || mcNode.asInt() > MAX_CONCURRENT) {
        throw ApiError.badRequest("max_concurrent must be a whole number from 1 to " + MAX_CONCURRENT);
      }
      maxConcurrent = mcNode.asInt();
    }
    JsonNode adminNode = body.path("admin");
    if (!adminNode.isMissingNode() && !adminNode.isNull() && !adminNode.isBoolean()) {
      throw ApiError.badRequest("admin must be true or false");
    }
    ApiKeys.Issued issued = keys.create(name, credits, maxConcurrent, adminNode.asBoolean(false));
    ObjectNode data = Json.object();
    data.set("key", view(issued.record()));
    data.put("secret", issued.secret());
    Envelope.send(ctx, 200, Envelope.ok(data));
  }

  private void setDisabled(Context ctx, boolean disabled) {
    String id = ctx.pathParam("id");
    if (disabled && id.equals(Authenticator.key(ctx).id())) {
      throw ApiError.badRequest("the key this request is signed with can't disable itself");
    }
    if (!keys.setDisabled(id, disabled)) throw notFound(id);
    Envelope.send(ctx, 200, Envelope.ok(view(keys.fresh(id).orElseThrow(() -> notFound(id)))));
  }

  private void credit(Context ctx) {
    String id = ctx.pathParam("id");
    long units = units("credits", RequestJson.object(RequestBody.bytes(ctx)).path("credits"), true);
    KeyRecord k = keys.fresh(id).orElseThrow(() -> notFound(id));
    if (k.unlimited()) throw ApiError.badRequest("key " + id + " is unlimited: it has no balance to add credits to");
    Envelope.send(ctx, 200, Envelope.ok(view(keys.addCredit(id, units).orElseThrow(() -> notFound(id)))));
  }

  /** What an admin sees of a key: never its hash, only the prefix that recognises it. */
  static ObjectNode view(KeyRecord k) {
    ObjectNode o = Json.object();
    o.put("id", k.id());
    o.put("name", k.name());
    o.put("prefix", k.prefix());
    o.put("created_at", DateTimeFormatter.ISO_INSTANT.format(Clock.toInstant(k.createdAt())));
    o.put("disabled", k.disabled());
    o.put("admin", k.admin());
    o.put("unlimited", k.unlimited());
    if (k.unlimited()) {
      o.putNull("balance");
      o.putNull("credits");
    } else {
      o.put("balance", k.balance());
      o.put("credits", new Money(k.balance()).usdValue());
    }
    if (k.maxConcurrent() == null) o.putNull("max_concurrent");
    else o.put("max_concurrent", k.maxConcurrent());
    return o;
  }

  /** An amount in USD (a JSON number, at most 7 decimals) as units; {@code positive} refuses zero. */
  private static long units(String field, JsonNode v, boolean positive) {
    // A number too large for a double (1e400) was read as infinity, which has no decimal value.
    BigDecimal usd = v.isNumber() && Double.isFinite(v.doubleValue()) ? v.decimalValue() : null;
    if (usd == null || usd.signum() < 0 || (positive && usd.signum() == 0) || usd.compareTo(MAX_USD) > 0 || usd.stripTrailingZeros().scale() > Money.DECIMALS) {
      throw ApiError.badRequest(field + " must be an amount in USD " + (positive ? "above" : "of at least") + " 0 and at most "
          + MAX_USD.toPlainString() + ", with at most 7 decimals");
    }
    return Money.ofUsd(usd).units();
  }

  private static ApiError notFound(String id) {
    return new ApiError(404, "key " + id + " not found");
  }
}
