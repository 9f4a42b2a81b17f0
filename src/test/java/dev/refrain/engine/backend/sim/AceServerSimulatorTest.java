package dev.refrain.engine.backend.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.core.Json;
import dev.refrain.core.OutputFormat;
import dev.refrain.testing.RunsOnce;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ace-server contract, seen from a client with plain java.net.http: executable documentation of
 * what an adapter has to cope with.
 */
// Runs once, in the default execution: no store is involved.
@RunsOnce
class AceServerSimulatorTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AceServerSimulator sim;

  @BeforeEach
  void start() {
    sim = AceServerSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b, Duration timeout) throws IOException, InterruptedException {
    return http.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> synth(String query, Object body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(sim.url() + "/synth" + query))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))), Duration.ofSeconds(30));
  }

  private HttpResponse<byte[]> synthMultipart(Map<String, ?> request, byte[] audio) throws Exception {
    Multipart.Builder mp = new Multipart.Builder().file("request", "request.json", "application/json",
        Json.bytes(request));
    if (audio != null) mp.file("audio", "song.wav", "audio/wav", audio);
    return send(HttpRequest.newBuilder(URI.create(sim.url() + "/synth?wav=1"))
        .header("Content-Type", mp.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())), Duration.ofSeconds(30));
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(sim.url() + path)).GET(), Duration.ofSeconds(10));
  }

  private static String error(HttpResponse<byte[]> r) {
    return Json.parseOrNull(r.body()).path("error").asText();
  }

  private static byte[] wav(double seconds) {
    return AudioEncoder.encode(SimAudio.chord(SimAudio.frames(seconds)), OutputFormat.WAV, 0);
  }

  @Test
  void text2musicAnswersRawMp3OfTheAskedLength() throws Exception {
    HttpResponse<byte[]> r = synth("", Map.of("caption", "pop", "lyrics", "[Instrumental]", "duration", 12, "seed", 42));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
    assertThat(SimAudio.secondsOf(r.body())).isCloseTo(12.0, within(0.05));
    assertThat(SimAudio.decode(r.body()).channelCount()).isEqualTo(2);
    assertThat(sim.lastRequest().path("seed").asLong()).isEqualTo(42);
    assertThat(sim.lastRequest().path("audio_cover_strength").asDouble()).isEqualTo(0.5);
  }

  @Test
  void wavOnRequestAndDurationOnTheLatentGrid() throws Exception {
    HttpResponse<byte[]> r = synth("?wav=1", Map.of("caption", "pop", "duration", 10.01));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/wav");
    assertThat(new String(r.body(), 0, 4)).isEqualTo("RIFF");
    assertThat(SimAudio.secondsOf(r.body())).as("250 latents, patch 2 -> 10.00 s").isEqualTo(10.0);
  }

  @Test
  void busyGpuAnswers503AtOnceWithRetryAfter() throws Exception {
    sim.serviceTime(Duration.ofMillis(1500));
    CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> {
      try {
        return synth("?wav=1", Map.of("caption", "a", "duration", 10));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    while (sim.jobsStarted() == 0) Thread.sleep(5);
    long t0 = System.nanoTime();
    HttpResponse<byte[]> busy = synth("?wav=1", Map.of("caption", "b", "duration", 10));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1000));
    assertThat(busy.statusCode()).isEqualTo(503);
    assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(error(busy)).isEqualTo("Server busy");
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(sim.maxConcurrentJobs()).isEqualTo(1);
    assertThat(sim.jobsStarted()).isEqualTo(1);
    assertThat(sim.busyAnswers()).isEqualTo(1);
    assertThat(sim.maxJobsHeld()).as("ace-server holds only the job on its GPU").isEqualTo(1);
    assertThat(sim.jobsHeld()).isZero();
    assertThat(sim.jobsByAuthorization()).isEqualTo(Map.of("", 1));
  }

  @Test
  void multipartCoverKeepsTheSourceLength() throws Exception {
    byte[] source = wav(11.0);
    HttpResponse<byte[]> r = synthMultipart(Map.of("caption", "jazz", "audio_cover_strength", 0.6), source);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.lastAudioBytes()).isEqualTo(source);
    assertThat(sim.lastRequest().path("transport").asText()).isEqualTo("multipart");
    assertThat(SimAudio.secondsOf(r.body())).as("275 latents round up to the 2-latent patch: 276")
        .isCloseTo(11.04, within(0.001));
  }

  @Test
  void repaintClampsIntoTheSourceUnlessOutpaintingIsOn() throws Exception {
    byte[] source = wav(10.0);
    Map<String, Object> extend = Map.of("caption", "more", "repainting_start", 5.0, "repainting_end", 14.0);
    assertThat(SimAudio.secondsOf(synthMultipart(extend, source).body())).isCloseTo(10.0, within(0.001));
    sim.outpaint(true);
    assertThat(SimAudio.secondsOf(synthMultipart(extend, source).body())).isCloseTo(14.0, within(0.001));
    Map<String, Object> left = Map.of("caption", "intro", "task_type", "repaint", "repainting_start", -2.0);
    assertThat(SimAudio.secondsOf(synthMultipart(left, source).body())).isCloseTo(12.0, within(0.001));
  }

  @Test
  void failuresAreJsonErrorsWithTheirStatus() throws Exception {
    assertThat(synth("", Map.of("lyrics", "no caption")).statusCode()).isEqualTo(400);
    assertThat(error(synth("", Map.of("lyrics", "no caption")))).isEqualTo("Caption is required");
    assertThat(error(synth("", "{not json"))).isEqualTo("Invalid JSON");
    Multipart.Builder noRequest = new Multipart.Builder().file("audio", "a.wav", "audio/wav", wav(10));
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + "/synth"))
        .header("Content-Type", noRequest.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(noRequest.build())), Duration.ofSeconds(10));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("Multipart: missing 'request' part");
    assertThat(error(synthMultipart(Map.of("caption", "x"), "garbage".getBytes()))).isEqualTo("Failed to decode audio");

    sim.failNext(1);
    HttpResponse<byte[]> failed = synth("?wav=1", Map.of("caption", "x", "duration", 10));
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(error(failed)).isEqualTo("Synth generation failed");
    assertThat(synth("?wav=1", Map.of("caption", "x", "duration", 700)).statusCode()).as("past 600 s").isEqualTo(500);
    assertThat(sim.jobsFailed()).isEqualTo(2);

    sim.synthStatus("disabled");
    assertThat(synth("", Map.of("caption", "x")).statusCode()).isEqualTo(501);
  }

  @Test
  void healthAndProps() throws Exception {
    HttpResponse<byte[]> h = get("/health");
    assertThat(new String(h.body())).isEqualTo("{\"status\":\"ok\"}");
    sim.ditModel("models/acestep-v15-sft-Q8_0.gguf");
    JsonNode props = Json.parseOrNull(get("/props").body());
    assertThat(props.path("status").path("synth").asText()).isEqualTo("ok");
    assertThat(props.path("status").path("lm").asText()).isEqualTo("disabled");
    assertThat(props.path("cli").path("dit").asText()).contains("sft");
    assertThat(props.path("default").path("repainting_start").asDouble()).isEqualTo(-1.0);
    sim.healthFlap(true, false);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(503);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void hangingServerNeverAnswers() throws Exception {
    sim.hang(true);
    assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(sim.url() + "/health")).GET(), Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    sim.hang(false);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void deathDropsInFlightRequestsAndReviveComesBackOnTheSamePort() throws Exception {
    sim.serviceTime(Duration.ofMillis(400)).dieDuringNextJob(null);
    int port = sim.port();
    assertThatThrownBy(() -> synth("?wav=1", Map.of("caption", "x", "duration", 10))).isInstanceOf(IOException.class);
    assertThat(sim.isUp()).isFalse();
    assertThatThrownBy(() -> get("/health")).isInstanceOf(IOException.class);
    sim.revive();
    assertThat(sim.port()).isEqualTo(port);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(synth("?wav=1", Map.of("caption", "x", "duration", 10)).statusCode()).as("GPU lock freed").isEqualTo(200);
    assertThat(sim.jobsFinished()).isEqualTo(1);
  }
}
