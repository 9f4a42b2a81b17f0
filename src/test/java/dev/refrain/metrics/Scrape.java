package dev.refrain.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape in the Prometheus text format, parsed into samples a test can sum by name and labels. */
record Scrape(String text, List<Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line);
      if (!m.matches()) throw new AssertionError("not an exposition line: " + line);
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))));
    }
    return new Scrape(text, out);
  }

  /** The sum of the samples named {@code name} whose labels include the given pairs; 0 when there are none. */
  double sum(String name, String... labelPairs) {
    return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  List<Sample> matching(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && has(s, labelPairs)).toList();
  }

  private static boolean has(Sample s, String[] pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(s.labels().get(pairs[i]))) return false;
    }
    return true;
  }
}
