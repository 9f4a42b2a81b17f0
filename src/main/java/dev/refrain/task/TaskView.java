package dev.refrain.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.refrain.core.Json;
import dev.refrain.storage.Links;
import dev.refrain.store.Clock;
import dev.refrain.store.TaskRow;
import java.time.format.DateTimeFormatter;

/** The task object of the wire contract (../shared/spec/api.md, "The task object"), built from a stored row. */
public final class TaskView {
  private static final String UNSET_TIME = "0001-01-01T00:00:00Z";
  private static final String OWN_AUDIO = "\"audio_url\":\"" + Links.FILES_PATH;

  private TaskView() {}

  /** @param base the base URL the reader came by: our own files' URLs are made under it */
  public static ObjectNode of(TaskRow t, String base) {
    ObjectNode o = Json.object();
    o.put("task_id", t.id());
    o.put("model", t.model());
    o.put("task_type", t.taskType());
    o.put("status", t.status());
    // Stored JSON goes out as it is: re-parsing it on every poll would be wasted work.
    o.putRawValue("config", new RawValue(t.configJson()));
    o.putRawValue("input", new RawValue(t.inputJson()));
    if (t.outputJson() == null) o.putNull("output");
    else o.putRawValue("output", new RawValue(output(t.outputJson(), base)));
    ObjectNode meta = o.putObject("meta");
    meta.put("created_at", time(t.createdAt()));
    meta.put("started_at", time(t.startedAt()));
    meta.put("ended_at", time(t.endedAt()));
    ObjectNode usage = meta.putObject("usage");
    usage.put("type", "llm");
    usage.put("frozen", t.frozen());
    usage.put("consume", t.consumed());
    meta.put("is_using_private_pool", false);
    // Beyond PiAPI: live progress of a running task.
    meta.put("progress", t.progress());
    meta.put("stage", t.stage() == null ? "" : t.stage());
    o.putNull("detail");
    o.putRawValue("logs", new RawValue(t.logsJson()));
    ObjectNode error = o.putObject("error");
    error.put("code", t.errorCode());
    error.put("raw_message", t.errorRaw() == null ? "" : t.errorRaw());
    error.put("message", t.errorMessage() == null ? "" : t.errorMessage());
    error.putNull("detail");
    return o;
  }

  /** The stored output, its audio_url made absolute under {@code base} when it is our own path. */
  private static String output(String json, String base) {
    if (!json.contains(OWN_AUDIO)) return json;
    ObjectNode out = (ObjectNode) Json.parse(json);
    out.put("audio_url", Links.absolute(out.path("audio_url").asText(), base));
    return Json.write(out);
  }

  static String time(long micros) {
    return micros == 0 ? UNSET_TIME : DateTimeFormatter.ISO_INSTANT.format(Clock.toInstant(micros));
  }
}
