package dev.refrain.task;

import dev.refrain.core.ApiError;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import dev.refrain.core.TaskInput;

/**
 * Any bytes as a task-create body: each is either a 400 with a message, or a request whose echo and
 * config can be stored and sent back (the lone surrogate once passed the parser and broke the answer).
 */
class TaskRequestFuzzTest {
  private static final TaskRequest.Limits LIMITS = new TaskRequest.Limits(240, 1 << 20);

  @FuzzTest(maxDuration = "6s")
  @DictionaryEntries({"\"model\"", "\"Qubico/ace-step\"", "\"task_type\"", "\"txt2audio\"", "\"audio2audio\"", "\"edit\"",
      "\"extend\"", "\"input\"", "\"config\"", "\"webhook_config\"", "\"endpoint\"", "\"secret\"", "\"style_prompt\"",
      "\"lyrics\"", "\"duration\"", "\"seed\"", "\"output_format\"", "\"audio\"", "\"style_audio\"", "\"left_extend_duration\"",
      "\"right_extend_duration\"", "\"infer_step\"", "\"guidance_scale\"", "\"data:audio/wav;base64,\"", "\\ud800", "1e400"})
  void parse(byte[] body) {
    TaskRequest req;
    try {
      ObjectNode json = RequestJson.object(body);
      req = TaskRequest.parse(json, LIMITS);
    } catch (ApiError refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    // What the store keeps reads back as the same input.
    assertThat(TaskInput.of(req.type(), Json.parse(Json.write(req.input())))).isEqualTo(req.input());
    assertThat(Json.bytes(req.config())).isNotEmpty();
  }
}
