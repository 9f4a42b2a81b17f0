package dev.refrain.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.engine.backend.sim.AceServerSimulator;
import dev.refrain.engine.backend.sim.AceStepApiSimulator;
import dev.refrain.engine.backend.sim.BackendSimulator;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refrain dispatching to simulated ACE-Step backends over real HTTP: mapping, failover, health, back-pressure, cancel. */
// Runs once, in the default execution: backends are reached over HTTP, the same whatever store the server has.
@RunsOnce
class BackendPoolTest {
  final List<AutoCloseable> open = new ArrayList<>();
  TestServer ts;
  String key;

  @AfterEach
  void stop() throws Exception {
    if (ts != null) ts.close();
    for (AutoCloseable c : open) c.close();
  }

  <S extends BackendSimulator<S>> S sim(S s) {
    open.add(s);
    return s;
  }

  /** Backends as name → {kind, url, extra settings}. */
  void serve(Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("REFRAIN_BACKEND_POLL_INTERVAL", "20ms", "REFRAIN_BACKEND_HEALTH_INTERVAL", "100ms"));
    all.putAll(settings);
    ts = TestServer.start(all);
    key = ts.newKey();
  }

  static Map<String, String> backend(String name, String kind, String url, String... extra) {
    Map<String, String> m = new HashMap<>();
    String p = "REFRAIN_BACKEND_" + name.toUpperCase() + "_";
    m.put(p + "KIND", kind);
    m.put(p + "URL", url);
    for (int i = 0; i + 1 < extra.length; i += 2) m.put(p + extra[i], extra[i + 1]);
    return m;
  }

  static Map<String, String> merge(Map<String, String>... maps) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, String> m : maps) out.putAll(m);
    return out;
  }

  String create(String taskType, String input) {
    Reply r = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"" + taskType + "\",\"input\":{" + input + "}}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  JsonNode await(String id) {
    return ts.client.await(id, key, Duration.ofSeconds(60));
  }

  static String audio(double seconds) {
    return Base64.getEncoder().encodeToString(TestAudio.encoded("wav", TestAudio.tone(seconds, 48000, 2, 440)));
  }

  @Test
  void acestepApiMapsEveryTaskType() throws Exception {
    AceStepApiSimulator gpu = sim(AceStepApiSimulator.start());
    serve(backend("gpu", "acestep-api", gpu.url()));

    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"upbeat pop\",\"lyrics\":\"[inst]\",\"duration\":12,\"seed\":7,\"infer_step\":27"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    JsonNode req = gpu.lastRequest();
    assertThat(req.path("task_type").asText()).isEqualTo("text2music");
    assertThat(req.path("prompt").asText()).isEqualTo("upbeat pop");
    assertThat(req.path("lyrics").asText()).isEqualTo("[Instrumental]");
    assertThat(req.path("audio_duration").asDouble()).isEqualTo(12.0);
    assertThat(req.path("seed").asLong()).isEqualTo(7);
    assertThat(req.path("batch_size").asInt()).isEqualTo(1);
    assertThat(req.path("inference_steps").asInt()).isEqualTo(27);
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(12.0, within(0.05));
    assertThat(t.path("logs").toString()).contains("backend gpu (acestep-api)").contains("text2music");
    byte[] mp3 = ts.client.download(t.path("output").path("audio_url").asText(), Map.of()).body();
    assertThat(AudioDecoder.decode(mp3, 600).sampleRate()).isEqualTo(48000);

    // A txt2audio's style_audio goes as the reference it is, never as audio to transform.
    t = await(create("txt2audio", "\"style_prompt\":\"upbeat pop\",\"duration\":12,\"style_audio\":\"" + audio(25) + "\""));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    req = gpu.lastRequest();
    assertThat(req.path("task_type").asText()).isEqualTo("text2music");
    assertThat(req.path("transport").asText()).isEqualTo("multipart");
    assertThat(req.get("src_audio").isNull()).isTrue();
    assertThat(gpu.lastAudioBytes()).isNull();
    assertThat(req.path("reference_seconds").asDouble()).as("%s", req).isCloseTo(25.0, within(0.001));
    assertThat(AudioDecoder.decode(gpu.lastReferenceBytes(), 600).sampleRate()).isEqualTo(48000);
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(12.0, within(0.05));
    assertThat(t.path("logs").toString()).contains("reference_audio 25.0 s").doesNotContain("not used");

    t = await(create("audio2audio", "\"style_audio\":\"" + audio(10) + "\",\"style_prompt\":\"lofi\",\"ref_audio_strength\":0.3"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    req = gpu.lastRequest();
    assertThat(req.path("task_type").asText()).isEqualTo("cover");
    assertThat(req.path("transport").asText()).isEqualTo("multipart");
    assertThat(req.path("audio_cover_strength").asDouble()).isEqualTo(0.3);
    assertThat(gpu.lastAudioBytes().length).isGreaterThan(1_000_000);
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(10.0, within(0.05));

    t = await(create("edit", "\"audio\":\"" + audio(10) + "\",\"style_prompt\":\"guitar and piano\",\"lyrics\":\"[inst]\","
        + "\"edit_style_prompt\":\"guitar and piano, pop\",\"edit_lyrics\":\"[verse]\\nla la\""));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    req = gpu.lastRequest();
    assertThat(req.path("task_type").asText()).isEqualTo("cover");
    assertThat(req.path("prompt").asText()).isEqualTo("guitar and piano, pop");
    assertThat(req.path("lyrics").asText()).isEqualTo("[verse]\nla la");
    assertThat(req.path("audio_cover_strength").asDouble()).isEqualTo(0.6);
    assertThat(t.path("logs").toString()).contains("the source was described as 'guitar and piano'");

    t = await(create("extend", "\"audio\":\"" + audio(10) + "\",\"left_extend_duration\":2,\"right_extend_duration\":3,\"style_prompt\":\"piano\","
        + "\"output_format\":\"wav\""));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    req = gpu.lastRequest();
    assertThat(req.path("task_type").asText()).isEqualTo("repaint");
    assertThat(req.path("repainting_start").asDouble()).isEqualTo(-2.0);
    assertThat(req.path("repainting_end").asDouble()).isEqualTo(13.0);
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(15.0, within(0.05));
    assertThat(t.path("output").path("audio_url").asText()).endsWith(".wav");
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isCloseTo(25_000, within(300L));
  }

  @Test
  void acestepCppMapsItsTaskTypesAndExtendIsOptIn() throws Exception {
    AceServerSimulator cpp = sim(AceServerSimulator.start());
    serve(merge(backend("cpp", "acestep-cpp", cpp.url()), Map.of("REFRAIN_PREVIEW_FALLBACK", "false")));
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"ambient\",\"duration\":11,\"seed\":3,\"guidance_scale\":4.5"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    JsonNode req = cpp.lastRequest();
    assertThat(req.path("caption").asText()).isEqualTo("ambient");
    assertThat(req.path("lyrics").asText()).isEqualTo("[Instrumental]");
    assertThat(req.path("duration").asDouble()).isEqualTo(11.0);
    assertThat(req.path("guidance_scale").asDouble()).isCloseTo(4.5, within(1e-6));
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(11.0, within(0.1));

    // text2music on ace-server has no reference: the task runs without it and says so.
    t = await(create("txt2audio", "\"style_prompt\":\"ambient\",\"duration\":10,\"style_audio\":\"" + audio(10) + "\""));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(cpp.lastAudioBytes()).isNull();
    assertThat(cpp.lastRequest().path("caption").asText()).isEqualTo("ambient");
    List<String> logs = new ArrayList<>();
    t.path("logs").forEach(l -> logs.add(l.asText()));
    assertThat(logs).containsOnlyOnce("input.style_audio is not used by backend cpp (acestep-cpp): its /synth takes an audio part only"
        + " for cover and repaint; text2music has no reference");

    t = await(create("edit", "\"audio\":\"" + audio(10) + "\",\"style_prompt\":\"a\",\"edit_style_prompt\":\"rock\",\"edit_strength\":0.8"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(cpp.lastRequest().path("caption").asText()).isEqualTo("rock");
    assertThat(cpp.lastRequest().path("audio_cover_strength").asDouble()).isCloseTo(0.8, within(1e-6)); // the server reads a float
    assertThat(cpp.lastAudioBytes().length).isGreaterThan(1_000_000);

    // The documented build cannot outpaint: extend is refused at routing time.
    Reply r = ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\""
        + audio(10) + "\",\"right_extend_duration\":5,\"style_prompt\":\"x\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("task_type extend is not served here");
  }

  @Test
  void aBackendDyingMidJobIsRetriedElsewhere() throws Exception {
    AceStepApiSimulator first = sim(AceStepApiSimulator.start()).serviceTime(Duration.ofMillis(300)).dieDuringNextJob(null);
    AceStepApiSimulator second = sim(AceStepApiSimulator.start());
    serve(merge(backend("first", "acestep-api", first.url(), "PRIORITY", "1"), backend("second", "acestep-api", second.url(), "PRIORITY", "2")));
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("logs").toString()).contains("attempt 1 on backend first failed").contains("backend second (acestep-api) takes attempt 2");
    assertThat(second.jobsFinished()).isEqualTo(1);
  }

  @Test
  void aBackendThatNeverAnswersHitsTheDeadline() throws Exception {
    AceServerSimulator stuck = sim(AceServerSimulator.start()).hang(true);
    AceServerSimulator fine = sim(AceServerSimulator.start());
    serve(merge(backend("stuck", "acestep-cpp", stuck.url(), "PRIORITY", "1", "TIMEOUT", "1s"),
        backend("fine", "acestep-cpp", fine.url(), "PRIORITY", "2")));
    long t0 = System.nanoTime();
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("logs").toString()).contains("attempt 1 on backend stuck failed").contains("deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(fine.jobsFinished()).isEqualTo(1);
  }

  @Test
  void aLostJobThatReadsQueuedForeverEndsAtTheDeadlineAndRunsAgain() throws Exception {
    AceStepApiSimulator gpu = sim(AceStepApiSimulator.start()).serviceTime(Duration.ofSeconds(30));
    serve(backend("gpu", "acestep-api", gpu.url(), "TIMEOUT", "4s")); // room for the simulator to encode its result on a busy machine
    String id = create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // Restart only once we hold the backend's job id, so what follows is the "queued forever" quirk.
    while (!ts.client.get("/api/v1/task/" + id, key).data().path("logs").toString().contains("queued at position")
        && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    gpu.restart().serviceTime(Duration.ofMillis(20)); // its in-memory queue is gone: our id now reads status 0 forever
    JsonNode t = await(id);
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    // Mostly the deadline ends attempt 1, during a poll or between two; a restart landing on a poll in
    // flight ends it as a lost connection.
    assertThat(t.path("logs").toString()).containsAnyOf("did not finish before the deadline", "before the deadline",
            "deadline passed before", "connection failed")
        .contains("attempt 1 on backend gpu failed");
  }

  @Test
  void aFailureWithoutTextIsRetriedAndTooManyFailTheTaskClearly() throws Exception {
    AceStepApiSimulator gpu = sim(AceStepApiSimulator.start()).failNext(1);
    serve(merge(backend("gpu", "acestep-api", gpu.url()), Map.of("REFRAIN_BACKEND_ATTEMPTS", "2")));
    JsonNode ok = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(ok.path("status").asText()).as("%s", ok).isEqualTo("completed");
    assertThat(ok.path("logs").toString()).contains("the server gives no reason");

    gpu.failNext(5);
    JsonNode bad = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(bad.path("status").asText()).isEqualTo("failed");
    assertThat(bad.path("error").path("message").asText()).contains("no backend finished the task in 2 attempt(s)");
    assertThat(bad.path("meta").path("usage").path("consume").asLong()).isZero();
  }

  @Test
  void aFlappingBackendLeavesTheRotationAndComesBack() throws Exception {
    AceServerSimulator flaky = sim(AceServerSimulator.start());
    AceServerSimulator steady = sim(AceServerSimulator.start());
    serve(merge(backend("flaky", "acestep-cpp", flaky.url(), "PRIORITY", "1"), backend("steady", "acestep-cpp", steady.url(), "PRIORITY", "2")));
    flaky.healthy(false);
    Thread.sleep(600); // two failed probes at 100 ms take it out
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(t.path("logs").toString()).contains("backend steady");
    assertThat(flaky.requests("/synth")).isZero();
    flaky.healthy(true);
    Thread.sleep(400);
    t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(t.path("logs").toString()).contains("backend flaky");
  }

  @Test
  void cancelStopsTheJobAndDiscardsItsResult() throws Exception {
    AceServerSimulator cpp = sim(AceServerSimulator.start()).serviceTime(Duration.ofMillis(1500));
    serve(backend("cpp", "acestep-cpp", cpp.url()));
    String id = create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10");
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cpp.jobsStarted() == 0 && System.nanoTime() < end) Thread.sleep(10);
    assertThat(ts.client.delete("/api/v1/task/" + id, key).status()).isEqualTo(200);
    Thread.sleep(2_000); // the backend finishes its job meanwhile; its audio must not be used
    JsonNode t = ts.client.get("/api/v1/task/" + id, key).data();
    assertThat(t.path("status").asText()).isEqualTo("failed");
    assertThat(t.path("error").path("message").asText()).contains("canceled");
    assertThat(t.path("output").isNull()).isTrue();
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isZero();
    assertThat(ts.client.get("/files/outputs/" + id + ".mp3", null).status()).isEqualTo(404);
  }

  @Test
  void busyAnswersAreBackPressureNotFailures() throws Exception {
    // Three slots configured on a server whose queue holds one: the extra jobs get 429 and wait.
    AceStepApiSimulator gpu = sim(AceStepApiSimulator.start()).queueCapacity(1).serviceTime(Duration.ofMillis(200));
    serve(merge(backend("gpu", "acestep-api", gpu.url(), "SLOTS", "3"), Map.of("REFRAIN_BACKEND_ATTEMPTS", "1")));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) ids.add(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    for (String id : ids) assertThat(await(id).path("status").asText()).isEqualTo("completed");
    assertThat(ids.stream().map(id -> ts.client.get("/api/v1/task/" + id, key).data().path("logs").toString())
        .anyMatch(l -> l.contains("is busy"))).isTrue();
  }

  @Test
  void aBusyAceServerAnswers503WithRetryAfterAndTheTaskWaits() throws Exception {
    // Two slots configured on a server that runs one GPU job: the second request is told to come back.
    // The first job lasts long enough for the second task to be created and dispatched on a loaded machine.
    AceServerSimulator cpp = sim(AceServerSimulator.start()).serviceTime(Duration.ofSeconds(2));
    serve(merge(backend("cpp", "acestep-cpp", cpp.url(), "SLOTS", "2"), Map.of("REFRAIN_BACKEND_ATTEMPTS", "1")));
    String a = create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10");
    String b = create("txt2audio", "\"style_prompt\":\"y\",\"duration\":10");
    assertThat(await(a).path("status").asText()).isEqualTo("completed");
    JsonNode tb = await(b);
    assertThat(tb.path("status").asText()).as("%s", tb).isEqualTo("completed");
    String logs = ts.client.get("/api/v1/task/" + a, key).data().path("logs").toString() + tb.path("logs");
    assertThat(logs).contains("answered HTTP 503 (busy)").contains("waiting 5 s");
    assertThat(cpp.maxConcurrentJobs()).isEqualTo(1);
  }

  @Test
  void twoBackendsOfDifferentSpeedsAreBothKeptBusyAndNeverOverCommitted() throws Exception {
    AceServerSimulator fast = sim(AceServerSimulator.start()).serviceTime(Duration.ofMillis(60));
    AceStepApiSimulator slow = sim(AceStepApiSimulator.start()).serviceTime(Duration.ofMillis(300));
    serve(merge(backend("fast", "acestep-cpp", fast.url(), "PRIORITY", "1"), backend("slow", "acestep-api", slow.url(), "PRIORITY", "2", "SLOTS", "2")));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 16; i++) ids.add(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    for (String id : ids) assertThat(await(id).path("status").asText()).isEqualTo("completed");
    assertThat(fast.jobsFinished()).isGreaterThan(0);
    assertThat(slow.jobsFinished()).isGreaterThan(0);
    assertThat(fast.jobsFinished() + slow.jobsFinished()).isEqualTo(16);
    assertThat(fast.maxConcurrentJobs()).isEqualTo(1);
    assertThat(slow.maxConcurrentJobs()).isLessThanOrEqualTo(2);
    assertThat(fast.requests("/synth")).as("never over-committed: no 503 retries").isEqualTo(fast.jobsFinished());
  }

  @Test
  void audioThatDoesNotDecodeFailsTheAttemptNotTheServer() throws Exception {
    // A server that claims to be ace-server but answers garbage: never trust a backend.
    com.sun.net.httpserver.HttpServer liar = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    liar.createContext("/", ex -> {
      byte[] body = ex.getRequestURI().getPath().equals("/health") ? "{\"status\":\"ok\"}".getBytes() : "<html>oops</html>".getBytes();
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    liar.start();
    open.add(() -> liar.stop(0));
    AceServerSimulator honest = sim(AceServerSimulator.start());
    serve(merge(backend("liar", "acestep-cpp", "http://127.0.0.1:" + liar.getAddress().getPort(), "PRIORITY", "1"),
        backend("honest", "acestep-cpp", honest.url(), "PRIORITY", "2")));
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":10"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("logs").toString()).contains("attempt 1 on backend liar failed: the backend's audio could not be decoded");
    assertThat(honest.jobsFinished()).isEqualTo(1);
  }

  @Test
  void theDurationActuallyReturnedIsMeasuredAndBilled() throws Exception {
    AceStepApiSimulator small = sim(AceStepApiSimulator.start()).maxDurationSeconds(20);
    serve(backend("small", "acestep-api", small.url()));
    JsonNode t = await(create("txt2audio", "\"style_prompt\":\"x\",\"duration\":30"));
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("completed");
    assertThat(t.path("output").path("duration").asDouble()).isCloseTo(20.0, within(0.05));
    assertThat(t.path("meta").path("usage").path("consume").asLong()).isCloseTo(100_000, within(250L));
    assertThat(t.path("logs").toString()).contains("memory tier");
  }
}
