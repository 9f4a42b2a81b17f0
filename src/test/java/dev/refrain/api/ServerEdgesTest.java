package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.TestAudio;
import dev.refrain.storage.BlobStore;
import dev.refrain.storage.Links;
import dev.refrain.storage.Uploads;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.TestServer;
import dev.refrain.testing.TestStorage;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Internal errors, a public base URL behind a proxy, and upload expiry. */
class ServerEdgesTest {
  @Test
  void anInternalErrorIsA500EnvelopeWithoutDetailsAndTheServerKeepsServing() throws Exception {
    try (TestServer ts = TestServer.start()) {
      String key = ts.newKey();
      String id = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"x\",\"duration\":10}}").data().path("task_id").asText();
      ts.client.await(id, key, Duration.ofSeconds(30));
      // Break the store underneath the server: the next history query fails in SQL.
      ts.server.database().tx(c -> {
        try (var st = c.createStatement()) {
          st.execute("ALTER TABLE tasks RENAME COLUMN model TO model_gone");
        }
        return null;
      });
      Reply r = ts.client.get("/api/open/tasks/histories", key);
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body().path("code").asInt()).isEqualTo(500);
      assertThat(r.body().path("data").isNull()).isTrue();
      assertThat(r.message()).isEqualTo("internal server error");
      assertThat(new String(r.raw().body())).doesNotContain("SQL").doesNotContain("at dev.refrain");
      assertThat(ts.client.get("/healthz", null).status()).isEqualTo(200);
    }
  }

  @Test
  void urlsUseThePublicBaseAndOurOwnUploadsAreReadWithoutHttp() throws Exception {
    // The base is not reachable from here at all: inputs under it must be read from storage.
    try (TestServer ts = TestServer.start(Map.of("REFRAIN_PUBLIC_BASE_URL", "https://music.example.invalid/refrain/",
        "REFRAIN_FETCH_ALLOW_PRIVATE", "false"))) {
      String key = ts.newKey();
      byte[] flac = TestAudio.encoded("flac", TestAudio.tone(10.0, 44100, 2, 440));
      Reply up = ts.client.post("/api/ephemeral_resource", key, Map.of("file_name", "in.flac", "file_data", Base64.getEncoder().encodeToString(flac)));
      String url = up.data().path("url").asText();
      assertThat(url).startsWith("https://music.example.invalid/refrain/files/uploads/");
      String id = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\","
          + "\"input\":{\"style_audio\":\"" + url + "\",\"style_prompt\":\"piano\"}}").data().path("task_id").asText();
      JsonNode t = ts.client.await(id, key, Duration.ofSeconds(30));
      assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
      String out = t.path("output").path("audio_url").asText();
      assertThat(out).startsWith("https://music.example.invalid/refrain/files/outputs/").endsWith(".mp3");
      // Behind the proxy (which strips /refrain) the same path is served here.
      assertThat(ts.client.download(out.replace("https://music.example.invalid/refrain", ts.client.base), Map.of()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void expiredUploadsAreSwept() throws Exception {
    try (TestServer ts = TestServer.start(); BlobStore blobs = TestStorage.blobs(java.nio.file.Files.createTempDirectory("refrain-sweep-"))) {
      Uploads uploads = new Uploads(ts.server.database(), blobs, new Links("http://x"), Duration.ZERO);
      String key = ts.server.keys().create("s", null, null, false).record().id();
      uploads.store(key, "uploads/a/old.mp3", "old.mp3", new byte[] {1, 2, 3}, null);
      Thread.sleep(5);
      assertThat(uploads.sweep()).isEqualTo(1);
      assertThat(blobs.open("uploads/a/old.mp3")).isEmpty();
      assertThat(uploads.sweep()).isZero();
    }
  }
}
