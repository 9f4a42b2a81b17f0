package dev.refrain.store;

/** An API key as stored: never the key itself, only its hash and a short prefix. */
public record KeyRecord(
    String id,
    String name,
    String keyHash,
    String prefix,
    long createdAt,
    boolean disabled,
    boolean admin,
    boolean unlimited,
    long balance,
    Integer maxConcurrent) {}
