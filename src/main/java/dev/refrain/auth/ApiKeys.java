package dev.refrain.auth;

import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.KeyStore;
import dev.refrain.store.LedgerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues, looks up and disables API keys. A key is 32 random bytes; only its SHA-256 is stored
 * (a fast hash is right for high-entropy secrets). Lookups are cached briefly so the hot path
 * skips the database; a disabled key stops working within {@link #CACHE_MILLIS}.
 */
public final class ApiKeys {
  public static final long CACHE_MILLIS = 1_000;
  private static final String PREFIX = "rk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final KeyStore keys = new KeyStore();
  private final LedgerStore ledger = new LedgerStore();
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<KeyRecord> key, long until) {}

  /** A freshly made key: the secret is shown once and never again. */
  public record Issued(String secret, KeyRecord record) {}

  public ApiKeys(Database db) {
    this.db = db;
  }

  /**
   * Makes a key. {@code creditUnits} null makes it unlimited; otherwise the credit is its first
   * ledger entry.
   */
  public Issued create(String name, Long creditUnits, Integer maxConcurrent, boolean admin) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    KeyRecord rec = new KeyRecord(UUID.randomUUID().toString(), name, hash(secret), secret.substring(0, 10),
        Clock.nowMicros(), false, admin, creditUnits == null, 0, maxConcurrent);
    db.tx(c -> {
      keys.insert(c, rec);
      if (creditUnits != null && creditUnits > 0) ledger.credit(c, rec.id(), creditUnits);
      return null;
    });
    return new Issued(secret, db.read(c -> keys.byId(c, rec.id())).orElseThrow());
  }

  /** The enabled or disabled key a secret belongs to; empty for unknown secrets. */
  public Optional<KeyRecord> lookup(String secret) {
    if (secret == null || secret.isEmpty() || secret.length() > 256) return Optional.empty();
    String h = hash(secret);
    long now = System.currentTimeMillis();
    Cached c = cache.get(h);
    if (c != null && c.until > now) return c.key;
    Optional<KeyRecord> k = db.read(conn -> keys.byHash(conn, h));
    if (cache.size() > 100_000) cache.clear();
    cache.put(h, new Cached(k, now + CACHE_MILLIS));
    return k;
  }

  public List<KeyRecord> list() {
    return db.read(keys::list);
  }

  public Optional<KeyRecord> find(String idOrName) {
    return db.read(c -> keys.byIdOrName(c, idOrName));
  }

  /** Current state from the database, bypassing the cache (balances move with every task). */
  public Optional<KeyRecord> fresh(String id) {
    return db.read(c -> keys.byId(c, id));
  }

  public boolean setDisabled(String id, boolean disabled) {
    boolean changed = db.tx(c -> keys.setDisabled(c, id, disabled));
    cache.clear();
    return changed;
  }

  /** Adds credit to a key (a ledger row); empty for an unknown id. */
  public Optional<KeyRecord> addCredit(String id, long units) {
    return db.tx(c -> {
      if (keys.byId(c, id).isEmpty()) return Optional.empty();
      ledger.credit(c, id, units);
      return keys.byId(c, id);
    });
  }

  public boolean isEmpty() {
    return db.read(keys::count) == 0;
  }

  static String hash(String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
