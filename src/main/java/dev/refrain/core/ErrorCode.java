package dev.refrain.core;

/** The codes a failed task reports in `error.code` (../shared/spec/api.md, "The task object"). */
public final class ErrorCode {
  /** The request or its input was at fault: bad audio, too long, an engine that does not serve the type. */
  public static final int INPUT = 400;
  /** The client cancelled the task. */
  public static final int CANCELLED = 499;
  /** The server or an engine failed. */
  public static final int INTERNAL = 500;

  private ErrorCode() {}
}
