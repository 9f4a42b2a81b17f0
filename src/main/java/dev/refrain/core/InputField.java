package dev.refrain.core;

/**
 * One field of a task's `input` (../shared/spec/api.md, "Task types"): what the request's
 * validation checks, and what the OpenAPI document, the MCP tools and the CLI say of it. They all
 * read it from {@link TaskInput#fields}, so a field is described once.
 *
 * @param min the least value of a number; for {@link Kind#SECONDS} the most is the server's ceiling
 * @param max the most value of a number other than seconds
 * @param dflt the value when absent, for numbers that have one; null otherwise
 * @param alias another name the field is read from when it is absent (PiAPI's MCP tools use it)
 * @param option the `refrain task create` flag that sets it
 * @param label the flag's value in help, e.g. {@code TEXT}
 * @param help the flag's help line
 * @param beyondPiapi whether PiAPI's own API lacks it
 */
public record InputField(String name, Kind kind, boolean required, double min, double max, Double dflt, String description,
    String alias, String option, String label, String help, boolean beyondPiapi) {

  /** At most this many characters in a prompt. */
  public static final int PROMPT_MAX = 1024;
  /** At most this many characters of lyrics. */
  public static final int LYRICS_MAX = 4096;
  /** Lyrics that mean "no vocals": the default. */
  public static final String INSTRUMENTAL = "[inst]";

  /** What values a field takes, and so how it is read and described. */
  public enum Kind {
    /** Text of at most {@link #PROMPT_MAX} characters, trimmed. */
    PROMPT,
    /** Text of at most {@link #LYRICS_MAX} characters; empty means {@link #INSTRUMENTAL}. */
    LYRICS,
    /** Audio: an http(s) URL, a {@code data:} URI or raw base64. */
    AUDIO,
    /** Seconds, from {@code min} to the server's ceiling; a numeric string is taken too. */
    SECONDS,
    /** A whole number from {@code min} to {@code max}. */
    WHOLE,
    /** A number from {@code min} to {@code max}. */
    NUMBER,
    /** Any 64-bit integer; {@code -1} or absent draws one. */
    SEED,
    /** One of {@link OutputFormat}'s extensions. */
    FORMAT
  }

  /** The same field described otherwise, for a task type where it means something more particular. */
  public InputField describedAs(String text) {
    return new InputField(name, kind, required, min, max, dflt, text, alias, option, label, help, beyondPiapi);
  }

  /** The same field, optional, for a task type that can do without it. */
  public InputField asOptional() {
    return new InputField(name, kind, false, min, max, dflt, description, alias, option, label, help, beyondPiapi);
  }
}
