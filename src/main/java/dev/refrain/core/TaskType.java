package dev.refrain.core;

import java.util.Arrays;
import java.util.Optional;

/** The task types of `Qubico/ace-step`, with their wire names. */
public enum TaskType {
  TXT2AUDIO("txt2audio"),
  AUDIO2AUDIO("audio2audio"),
  EDIT("edit"),
  EXTEND("extend");

  /** The model every create body names: the one model this API serves, as PiAPI calls it. */
  public static final String MODEL = "Qubico/ace-step";

  private final String wire;

  TaskType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<TaskType> fromWire(String s) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(s)).findFirst();
  }

  public static String allowed() {
    return String.join(", ", Arrays.stream(values()).map(TaskType::wire).toList());
  }
}
