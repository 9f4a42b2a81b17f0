package dev.refrain.engine.backend;

import dev.refrain.core.TaskType;
import java.util.ArrayList;
import java.util.List;

/** The report of `refrain backends check`: each backend's reachability, health, what it reports, its task types and slots. */
final class BackendsCheck {
  private BackendsCheck() {}

  /** A block of lines per backend; stops early, with the thread's interrupt kept, when interrupted. */
  static List<String> report(List<Backend> backends) {
    List<String> out = new ArrayList<>();
    for (Backend b : backends) {
      StringBuilder line = new StringBuilder(b.settings.toString());
      try {
        b.client.checkHealth();
        line.append("\n    health: ok");
        for (String d : b.client.describe()) line.append("\n    ").append(d);
      } catch (BackendException e) {
        line.append("\n    health: NOT OK: ").append(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      line.append("\n    serves: ").append(b.serves.stream().map(TaskType::wire).sorted().toList())
          .append(", slots: ").append(b.settings.slots());
      if (!b.here) line.append("\n    not among this node's backends (its NODES): this node sends it no work");
      out.add(line.toString());
    }
    return out;
  }
}
