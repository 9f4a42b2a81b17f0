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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acestep-api contract, seen from a client with plain java.net.http: executable documentation
 * of what an adapter has to cope with.
 */
// Runs once, in the default execution: no store is involved.
@RunsOnce
class AceStepApiSimulatorTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AceStepApiSimulator sim;

  @BeforeEach
  void start() {
    sim = AceStepApiSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> postJson(String path, Object body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b);
  }

  private static JsonNode json(HttpResponse<byte[]> r) {
    return Json.parseOrNull(r.body());
  }

  private String submit(Map<String, ?> body) throws Exception {
    HttpResponse<byte[]> r = postJson("/release_task", body);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return json(r).path("data").path("task_id").asText();
  }

  private JsonNode query(String id) throws Exception {
    return json(postJson("/query_result", Map.of("task_id_list", java.util.List.of(id)))).path("data").get(0);
  }

  /** Polls until status is no longer 0; returns the item. */
  private JsonNode await(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode item = query(id);
      if (item.path("status").asInt() != 0) return item;
      Thread.sleep(20);
    }
    throw new AssertionError("task " + id + " never ended");
  }

  private byte[] download(String file) throws Exception {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + file)).GET());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void text2musicEnvelopeIntegerStatusAndTwiceEncodedResult() throws Exception {
    HttpResponse<byte[]> r = postJson("/release_task",
        Map.of("prompt", "upbeat pop", "lyrics", "[Instrumental]", "audio_duration", 12, "batch_size", 1));
    JsonNode env = json(r);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(env.path("code").asInt()).isEqualTo(200);
    assertThat(env.get("error").isNull()).isTrue();
    assertThat(env.get("extra").isNull()).isTrue();
    assertThat(env.path("timestamp").isIntegralNumber()).isTrue();
    assertThat(env.path("data").path("status").asText()).isEqualTo("queued");
    assertThat(env.path("data").path("queue_position").asInt()).isEqualTo(1);

    JsonNode item = await(env.path("data").path("task_id").asText());
    assertThat(item.get("status").isInt()).isTrue();
    assertThat(item.get("status").asInt()).isEqualTo(1);
    assertThat(item.get("result").isTextual()).as("result is a JSON string, parse it again").isTrue();
    assertThat(item.has("progress_text")).isTrue();
    JsonNode entries = Json.parse(item.get("result").asText());
    assertThat(entries.size()).isEqualTo(1);
    JsonNode e = entries.get(0);
    assertThat(e.path("file").asText()).startsWith("/v1/audio?path=%2F");
    assertThat(e.path("metas").path("duration").asDouble()).isEqualTo(12.0);
    assertThat(e.path("metas").path("bpm").asText()).isEqualTo("N/A");
    assertThat(e.path("seed_value").asText()).matches("\\d+");
    assertThat(e.path("stage").asText()).isEqualTo("succeeded");

    byte[] mp3 = download(e.path("file").asText());
    assertThat(SimAudio.decode(mp3).sampleRate()).isEqualTo(48_000);
    assertThat(SimAudio.decode(mp3).channelCount()).isEqualTo(2);
    assertThat(SimAudio.secondsOf(mp3)).isCloseTo(12.0, within(0.05));
    assertThat(sim.lastRequest().path("prompt").asText()).isEqualTo("upbeat pop");
    assertThat(sim.lastRequest().path("transport").asText()).isEqualTo("json");
  }

  @Test
  void batchSizeDefaultsToTwoFilesAndAliasesAreHonoured() throws Exception {
    String id = submit(Map.of("caption", "lofi", "duration", 10, "audio_format", "wav"));
    JsonNode entries = Json.parse(await(id).get("result").asText());
    assertThat(entries.size()).isEqualTo(2);
    assertThat(entries.get(0).path("file").asText()).endsWith(".wav").isNotEqualTo(entries.get(1).path("file").asText());
    assertThat(entries.get(0).path("seed_value").asText()).contains(",");
    byte[] wav = download(entries.get(1).path("file").asText());
    assertThat(new String(wav, 0, 4)).isEqualTo("RIFF");
    assertThat(SimAudio.secondsOf(wav)).isCloseTo(10.0, within(0.001));
  }

  @Test
  void unknownIdReadsQueuedForever() throws Exception {
    for (int i = 0; i < 3; i++) {
      JsonNode item = query("no-such-task");
      assertThat(item.path("status").asInt()).isZero();
      assertThat(item.path("result").asText()).isEqualTo("[]");
    }
  }

  @Test
  void fullQueueAnswers429AndJobsRunOneAtATime() throws Exception {
    sim.queueCapacity(1).serviceTime(Duration.ofMillis(600));
    String first = submit(Map.of("prompt", "a", "audio_duration", 10, "batch_size", 1, "audio_format", "wav"));
    // wait until the worker has taken the first job: the running one does not count against the queue
    while (sim.jobsStarted() == 0) Thread.sleep(5);
    String second = submit(Map.of("prompt", "b", "audio_duration", 10, "batch_size", 1, "audio_format", "wav"));
    HttpResponse<byte[]> third = postJson("/release_task", Map.of("prompt", "c"));
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(json(third).path("detail").asText()).isEqualTo("Server busy: queue is full");
    assertThat(sim.busyAnswers()).isEqualTo(1);
    assertThat(sim.jobsHeld()).as("one running, one queued").isEqualTo(2);
    assertThat(query(second).path("status").asInt()).isZero();
    assertThat(Json.parse(query(second).path("result").asText()).get(0).path("stage").asText()).isEqualTo("queued");
    assertThat(await(first).path("status").asInt()).isEqualTo(1);
    assertThat(await(second).path("status").asInt()).isEqualTo(1);
    assertThat(sim.maxConcurrentJobs()).isEqualTo(1);
    assertThat(sim.maxJobsHeld()).isEqualTo(2);
    assertThat(sim.jobsHeld()).as("a job reported done is no longer held").isZero();
    JsonNode stats = json(send(HttpRequest.newBuilder(URI.create(sim.url() + "/v1/stats")).GET())).path("data");
    assertThat(stats.path("jobs").path("succeeded").asInt()).isEqualTo(2);
    assertThat(stats.path("queue_maxsize").asInt()).isEqualTo(1);
  }

  @Test
  void multipartCoverTakesTheSourcesLength() throws Exception {
    byte[] source = AudioEncoder.encode(SimAudio.chord(SimAudio.frames(11.0)), OutputFormat.WAV, 0);
    Multipart.Builder mp = new Multipart.Builder()
        .field("task_type", "cover")
        .field("prompt", "jazz cover")
        .field("audio_cover_strength", "0.5")
        .field("batch_size", "1")
        .field("audio_format", "wav")
        .file("src_audio", "song.wav", "audio/wav", source);
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + "/release_task"))
        .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.lastAudioBytes()).isEqualTo(source);
    assertThat(sim.lastRequest().path("transport").asText()).isEqualTo("multipart");
    assertThat(sim.lastRequest().path("audio_cover_strength").asText()).isEqualTo("0.5");
    JsonNode e = Json.parse(await(json(r).path("data").path("task_id").asText()).get("result").asText()).get(0);
    assertThat(SimAudio.secondsOf(download(e.path("file").asText()))).isCloseTo(11.0, within(0.001));
  }

  @Test
  void text2musicTakesAReferenceUploadAndKeepsTheDurationAsked() throws Exception {
    byte[] reference = AudioEncoder.encode(SimAudio.chord(SimAudio.frames(25.0)), OutputFormat.WAV, 0);
    Multipart.Builder mp = new Multipart.Builder()
        .field("task_type", "text2music").field("prompt", "in this style").field("audio_duration", "12")
        .field("batch_size", "1").field("audio_format", "wav")
        .file("reference_audio", "ref.wav", "audio/wav", reference);
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + "/release_task"))
        .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.lastReferenceBytes()).isEqualTo(reference);
    assertThat(sim.lastAudioBytes()).as("a reference is not a source").isNull();
    assertThat(sim.lastRequest().path("reference_audio").asInt()).isEqualTo(reference.length);
    assertThat(sim.lastRequest().path("reference_seconds").asDouble()).isCloseTo(25.0, within(0.001));
    assertThat(sim.lastRequest().get("src_audio").isNull()).isTrue();
    JsonNode e = Json.parse(await(json(r).path("data").path("task_id").asText()).get("result").asText()).get(0);
    assertThat(SimAudio.secondsOf(download(e.path("file").asText()))).isCloseTo(12.0, within(0.001));
  }

  @Test
  void aReferenceTheServerCannotReadIsDroppedWithoutAWord() throws Exception {
    Multipart.Builder mp = new Multipart.Builder()
        .field("task_type", "text2music").field("prompt", "x").field("audio_duration", "10").field("batch_size", "1")
        .file("ref_audio", "ref.mp3", "audio/mpeg", "<html>not audio</html>".getBytes());
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + "/release_task"))
        .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.lastRequest().path("reference_audio").asInt()).isEqualTo(22);
    assertThat(sim.lastRequest().get("reference_seconds").isNull()).isTrue();
    assertThat(await(json(r).path("data").path("task_id").asText()).path("status").asInt()).isEqualTo(1);
  }

  @Test
  void repaintWithNegativeStartAndEndPastTheSourceExtendsIt() throws Exception {
    byte[] source = AudioEncoder.encode(SimAudio.chord(SimAudio.frames(10.0)), OutputFormat.WAV, 0);
    Multipart.Builder mp = new Multipart.Builder()
        .field("task_type", "repaint").field("prompt", "more").field("repainting_start", "-2")
        .field("repainting_end", "13").field("batch_size", "1").field("audio_format", "wav")
        .file("src_audio", "song.wav", "audio/wav", source);
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(sim.url() + "/release_task"))
        .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())));
    JsonNode e = Json.parse(await(json(r).path("data").path("task_id").asText()).get("result").asText()).get(0);
    assertThat(SimAudio.secondsOf(download(e.path("file").asText()))).isCloseTo(15.0, within(0.001));
  }

  @Test
  void absolutePathInJsonIsRefused() throws Exception {
    HttpResponse<byte[]> r = postJson("/release_task",
        Map.of("task_type", "cover", "prompt", "x", "src_audio_path", "/home/me/song.mp3"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("detail").asText()).isEqualTo("absolute audio file paths are not allowed");
  }

  @Test
  void failureCarriesNoErrorText() throws Exception {
    sim.failNext(1);
    JsonNode item = await(submit(Map.of("prompt", "x", "audio_duration", 10)));
    assertThat(item.path("status").asInt()).isEqualTo(2);
    JsonNode e = Json.parse(item.path("result").asText()).get(0);
    assertThat(e.path("file").asText()).isEmpty();
    assertThat(e.get("error").isNull()).isTrue();
    assertThat(sim.jobsFailed()).isEqualTo(1);
  }

  @Test
  void restartLosesEveryJob() throws Exception {
    sim.serviceTime(Duration.ofSeconds(30));
    String id = submit(Map.of("prompt", "x", "audio_duration", 10));
    submit(Map.of("prompt", "y", "audio_duration", 10));
    assertThat(sim.jobsHeld()).isEqualTo(2);
    sim.restart();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (sim.jobsHeld() > 0 && System.nanoTime() < deadline) Thread.sleep(5); // the old worker sees its interrupt
    assertThat(sim.jobsHeld()).as("the running and the queued job were lost").isZero();
    JsonNode item = query(id);
    assertThat(item.path("status").asInt()).isZero();
    assertThat(item.path("result").asText()).isEqualTo("[]");
    assertThat(sim.jobsFinished()).isZero();
  }

  @Test
  void gpuTierSilentlyClampsTheDuration() throws Exception {
    sim.maxDurationSeconds(15);
    JsonNode item = await(submit(Map.of("prompt", "x", "audio_duration", 40, "batch_size", 1, "audio_format", "flac")));
    JsonNode e = Json.parse(item.path("result").asText()).get(0);
    assertThat(e.path("metas").path("duration").asDouble()).as("metas say what was asked").isEqualTo(40.0);
    assertThat(SimAudio.secondsOf(download(e.path("file").asText()))).isCloseTo(15.0, within(0.001));
  }

  @Test
  void authByHeaderOrAiToken() throws Exception {
    sim.apiKey("k1");
    assertThat(postJson("/release_task", Map.of("prompt", "x")).statusCode()).isEqualTo(401);
    assertThat(postJson("/release_task", Map.of("prompt", "x"), "Authorization", "Bearer k1").statusCode()).isEqualTo(200);
    assertThat(postJson("/release_task", Map.of("prompt", "x", "ai_token", "k1")).statusCode()).isEqualTo(200);
    assertThat(sim.jobsByAuthorization()).as("jobs handed over, by the header that came with them")
        .isEqualTo(Map.of("Bearer k1", 1, "", 1));
    assertThat(postJson("/query_result", Map.of("task_id_list", "[]")).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(URI.create(sim.url() + "/health")).GET()).statusCode()).isEqualTo(200);
  }

  @Test
  void dyingMidJobDropsTheProcessAndItsQueue() throws Exception {
    sim.serviceTime(Duration.ofMillis(400)).dieDuringNextJob(Duration.ofMillis(300));
    String id = submit(Map.of("prompt", "x", "audio_duration", 10));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (sim.isUp() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(sim.isUp()).isFalse();
    assertThatThrownBy(() -> query(id)).isInstanceOf(IOException.class);
    while (!sim.isUp() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(query(id).path("result").asText()).isEqualTo("[]");
  }
}
