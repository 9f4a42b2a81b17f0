package dev.refrain.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.util.ArrayList;
import java.util.List;

/** The `logs` array of a task: short strings, stored as JSON. */
public final class TaskLogs {
  private TaskLogs() {}

  public static List<String> parse(String json) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : Json.parse(json)) out.add(n.asText());
    return out;
  }
}
