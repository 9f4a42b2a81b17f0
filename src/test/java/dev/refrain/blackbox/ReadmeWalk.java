package dev.refrain.blackbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shell commands of one README section, as a reader sees them: its {@code ```sh} blocks (up to the
 * next {@code ##} or {@code ###} heading), each split into commands the way a shell reads them (a command
 * goes on while a quote is open or a line ends with a backslash). Comment lines are not commands; they
 * belong to the command before them ({@code # => ...} is its expected answer, {@code # poll until ...}
 * says to repeat it).
 */
final class ReadmeWalk {
  /** One command, as written, and the comment lines that follow it. */
  record Command(String text, List<String> comments) {
    /** The command without its comments, on one logical line per physical line, trimmed. */
    String code() {
      return scan(text).code().strip();
    }

    /** What the README says it answers ({@code # => ...}), if it says. */
    Optional<String> expected() {
      return comments.stream().filter(c -> c.startsWith("=>")).map(c -> c.substring(2).strip()).findFirst();
    }

    /** Whether the README says to repeat it until the task ends. */
    boolean poll() {
      return comments.stream().anyMatch(c -> c.startsWith("poll until"));
    }
  }

  /** A {@code ```sh} block and the first line of the paragraph before it, which says what it is for. */
  record Block(String title, List<Command> commands) {}

  private ReadmeWalk() {}

  /** The blocks of the section whose heading is exactly {@code heading}; fails when there is none. */
  static List<Block> section(String readme, String heading) {
    List<String> lines = readme.lines().toList();
    int start = lines.indexOf(heading);
    if (start < 0) throw new AssertionError("README.md has no heading '" + heading + "'");
    int end = start + 1;
    while (end < lines.size() && !lines.get(end).startsWith("## ") && !lines.get(end).startsWith("### ")) end++;

    List<Block> blocks = new ArrayList<>();
    for (int i = start + 1; i < end; i++) {
      if (!lines.get(i).strip().equals("```sh")) continue;
      String title = paragraphBefore(lines, i);
      int close = i + 1;
      while (close < end && !lines.get(close).strip().equals("```")) close++;
      if (close == end) throw new AssertionError("README.md: the ```sh block after '" + title + "' is not closed");
      blocks.add(new Block(title, commands(lines.subList(i + 1, close))));
      i = close;
    }
    return blocks;
  }

  private static String paragraphBefore(List<String> lines, int fence) {
    int i = fence - 1;
    while (i >= 0 && lines.get(i).isBlank()) i--;
    while (i > 0 && !lines.get(i - 1).isBlank() && !lines.get(i - 1).startsWith("```")) i--;
    return i >= 0 ? lines.get(i).strip() : "";
  }

  /** Splits a block's lines into commands. */
  static List<Command> commands(List<String> lines) {
    List<Command> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    List<String> comments = null;
    for (String line : lines) {
      if (current.isEmpty()) {
        String s = line.strip();
        if (s.isEmpty()) continue;
        if (s.startsWith("#")) {
          if (comments == null) throw new AssertionError("a comment before any command: " + line);
          comments.add(s.substring(1).strip());
          continue;
        }
      }
      current.append(line).append('\n');
      if (scan(current.toString()).complete()) {
        comments = new ArrayList<>();
        out.add(new Command(current.toString().stripTrailing(), comments));
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) throw new AssertionError("a command that never ends (an open quote or a trailing \\): " + current);
    return out;
  }

  /** What a shell would make of {@code s}: whether it is a whole command, and its text without comments. */
  record Scan(boolean complete, String code) {}

  static Scan scan(String s) {
    StringBuilder code = new StringBuilder();
    boolean single = false;
    boolean dbl = false;
    boolean continued = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      continued = false;
      if (single) {
        code.append(c);
        if (c == '\'') single = false;
      } else if (dbl) {
        code.append(c);
        if (c == '\\' && i + 1 < s.length()) code.append(s.charAt(++i));
        else if (c == '"') dbl = false;
      } else if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        code.append(c).append(next);
        continued = next == '\n';
      } else if (c == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        while (i + 1 < s.length() && s.charAt(i + 1) != '\n') i++;
      } else {
        if (c == '\'') single = true;
        if (c == '"') dbl = true;
        code.append(c);
      }
    }
    return new Scan(!single && !dbl && !continued, code.toString());
  }
}
