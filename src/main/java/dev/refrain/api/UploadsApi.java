package dev.refrain.api;

import dev.refrain.auth.Authenticator;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.storage.DiskSpace;
import dev.refrain.storage.Uploads;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code POST /api/ephemeral_resource}: a file sent as base64 JSON ({@link UploadRequest}), kept under
 * the caller's key until it expires; the answer is its URL.
 */
public final class UploadsApi {
  private final Uploads uploads;
  private final DiskSpace disk;
  private final long maxUploadBytes;

  public UploadsApi(Uploads uploads, DiskSpace disk, long maxUploadBytes) {
    this.uploads = uploads;
    this.disk = disk;
    this.maxUploadBytes = maxUploadBytes;
  }

  public void configure(JavalinConfig config) {
    config.routes.post("/api/ephemeral_resource", this::upload);
  }

  private void upload(Context ctx) {
    JsonBody.require(ctx);
    if (disk.problem().isPresent()) throw ApiError.diskFull();
    UploadRequest up = UploadRequest.parse(RequestBody.bytes(ctx), maxUploadBytes);
    String url = uploads.store(Authenticator.key(ctx).id(), Uploads.uploadKey(up.safeName()), up.name(), up.data(),
        Forwarding.base(ctx));
    Envelope.send(ctx, 200, Envelope.ok(Json.object().put("url", url)));
  }
}
