package dev.refrain.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One configured GPU backend, from `REFRAIN_BACKEND_<NAME>_<FIELD>` (file: `backend.<name>.<field>`).
 *
 * @param name the operator's name for it (lower case), as in logs and `backends check`
 * @param kind `acestep-api`, `acestep-cpp` or `piapi`
 * @param taskTypes the task types it may serve (wire names); empty means all its kind can
 * @param priority lower is preferred; ties go by name
 * @param timeout the deadline of one attempt on it
 * @param nodes the nodes (REFRAIN_NODE_NAME) that may send it work; empty means every node
 */
public record BackendSettings(String name, String kind, String url, String apiKey, int slots, Set<String> taskTypes,
    int priority, Duration timeout, Set<String> nodes) {

  public static final Set<String> KINDS = Set.of("acestep-api", "acestep-cpp", "piapi");
  /** The fields, longest first so `TASK_TYPES` is not read as a name ending in `_TASK`. */
  static final String[] FIELDS = {"TASK_TYPES", "API_KEY", "PRIORITY", "TIMEOUT", "SLOTS", "NODES", "KIND", "URL"};
  static final String PREFIX = "REFRAIN_BACKEND_";

  /** Whether a setting name belongs to a backend. */
  static boolean isBackendSetting(String env) {
    if (!env.startsWith(PREFIX)) return false;
    for (String f : FIELDS) {
      if (env.endsWith("_" + f) && env.length() > PREFIX.length() + f.length() + 1) return true;
    }
    return false;
  }

  /** Every backend named in the settings, sorted by priority then name. */
  static List<BackendSettings> parse(Map<String, String> settings, Config.Parser p) {
    Map<String, Map<String, String>> byName = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (!isBackendSetting(k)) return;
      for (String f : FIELDS) {
        if (k.endsWith("_" + f)) {
          String name = k.substring(PREFIX.length(), k.length() - f.length() - 1).toLowerCase(Locale.ROOT);
          byName.computeIfAbsent(name, n -> new TreeMap<>()).put(f, v.trim());
          return;
        }
      }
    });
    List<BackendSettings> out = new ArrayList<>();
    byName.forEach((name, f) -> out.add(one(name, f, p)));
    out.sort((a, b) -> a.priority != b.priority ? Integer.compare(a.priority, b.priority) : a.name.compareTo(b.name));
    return List.copyOf(out);
  }

  private static BackendSettings one(String name, Map<String, String> f, Config.Parser p) {
    String where = PREFIX + name.toUpperCase(Locale.ROOT) + "_";
    if (!name.matches("[a-z0-9][a-z0-9_]*")) throw new Config.ConfigException("backend name '" + name + "' must be letters, digits and underscores");
    String kind = f.getOrDefault("KIND", "");
    if (!KINDS.contains(kind)) {
      throw new Config.ConfigException(where + "KIND must be one of acestep-api, acestep-cpp, piapi (got '" + kind + "')");
    }
    String url = f.getOrDefault("URL", "");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new Config.ConfigException(where + "URL must be an http(s) URL (got '" + url + "')");
    }
    Set<String> types = new TreeSet<>();
    for (String t : f.getOrDefault("TASK_TYPES", "").split(",")) {
      String s = t.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) continue;
      if (!Set.of("txt2audio", "audio2audio", "edit", "extend").contains(s)) {
        throw new Config.ConfigException(where + "TASK_TYPES lists unknown task type '" + s + "'");
      }
      types.add(s);
    }
    int slots = p.integer(where + "SLOTS", f.getOrDefault("SLOTS", "1"), 1, 1024);
    int priority = p.integer(where + "PRIORITY", f.getOrDefault("PRIORITY", "100"), 0, 1_000_000);
    Duration timeout = p.duration(where + "TIMEOUT", f.getOrDefault("TIMEOUT", "15m"));
    Set<String> nodes = new TreeSet<>();
    for (String n : f.getOrDefault("NODES", "").split(",")) {
      String s = n.trim();
      if (s.isEmpty()) continue;
      if (!Config.NODE_NAME.matcher(s).matches()) {
        throw new Config.ConfigException(where + "NODES lists '" + s + "', which is not a node name (letters, digits, '.', '_', '-')");
      }
      nodes.add(s);
    }
    return new BackendSettings(name, kind, url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
        f.getOrDefault("API_KEY", ""), slots, Set.copyOf(types), priority, timeout, Set.copyOf(nodes));
  }

  /** For logs and `backends check`: everything but the credentials. */
  @Override
  public String toString() {
    return name + " (" + kind + " at " + url + ", " + slots + " slot(s)" + (taskTypes.isEmpty() ? "" : ", " + taskTypes)
        + (nodes.isEmpty() ? "" : ", nodes " + nodes) + ")";
  }
}
