package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `refrain task list`: the key's tasks, newest first, a page at a time. */
@Command(name = "list", description = {"List your tasks, newest first, one page at a time.",
    "--status and --type keep only the matching tasks of the page fetched."})
final class ListTasks extends TaskSubcommand {
  private static final Set<String> STATUSES = Set.of("pending", "processing", "completed", "failed");

  @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "page number, from 1 (default: ${DEFAULT-VALUE})")
  int page;

  @Option(names = "--page-size", paramLabel = "N", defaultValue = "10", description = "tasks per page, 1 to 100 (default: ${DEFAULT-VALUE})")
  int pageSize;

  @Option(names = "--status", paramLabel = "S", description = "only tasks in this status: pending, processing, completed or failed")
  String status;

  @Option(names = "--type", paramLabel = "T", converter = Choices.TaskTypes.class, description = "only tasks of this type: ${COMPLETION-CANDIDATES}",
      completionCandidates = Choices.TaskTypes.class)
  String type;

  @Override
  public Integer call() {
    if (page < 1) throw usage("--page must be 1 or more (got " + page + ")");
    if (pageSize < 1 || pageSize > 100) throw usage("--page-size must be between 1 and 100 (got " + pageSize + ")");
    if (status != null && !STATUSES.contains(status)) throw usage("--status must be one of pending, processing, completed, failed (got " + status + ")");
    // PiAPI's history has no status or type parameter: the page is filtered here.
    JsonNode data = client().history(page, pageSize);
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode t : data.path("tasks")) {
      if ((status == null || status.equals(t.path("status").asText())) && (type == null || type.equals(t.path("task_type").asText()))) kept.add(t);
    }
    if (json) {
      ObjectNode o = data.isObject() ? ((ObjectNode) data).deepCopy() : Json.object();
      ArrayNode tasks = o.putArray("tasks");
      kept.forEach(tasks::add);
      out().println(Json.write(o));
      return 0;
    }
    TaskText.table(out(), kept);
    long total = data.path("total").asLong(kept.size());
    long pages = Math.max(1, (total + pageSize - 1) / pageSize);
    out().printf("page %d of %d, %d task%s in all%s%n", page, pages, total, total == 1 ? "" : "s",
        status == null && type == null ? "" : "; " + kept.size() + " shown here match");
    return 0;
  }
}
