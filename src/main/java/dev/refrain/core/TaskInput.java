package dev.refrain.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A task's `input`, validated and normalised: defaults filled in, the alias resolved, inline audio
 * replaced by the URL it was stored at. Validation makes one, the store keeps it as its JSON (the
 * echo clients see in `data.input`), and the runner, the engines and the pricing read it back.
 * Optional settings are null when the request left them out. A field the client sent under its
 * alias is kept under the alias (../shared/spec/api.md: the echo names fields as the client did).
 */
public sealed interface TaskInput {
  TaskType type();

  String stylePrompt();

  String lyrics();

  /** The request's seed; null when the server draws one. */
  Long seed();

  Integer inferStep();

  Double guidanceScale();

  /** The format asked for; null for the default. */
  OutputFormat outputFormat();

  /** The format of the output. */
  default OutputFormat format() {
    return outputFormat() == null ? OutputFormat.MP3 : outputFormat();
  }

  /** The URL of the audio the task works on; null for txt2audio. */
  default String sourceAudio() {
    return null;
  }

  /** The URL of a reference whose tempo, key and timbre guide new music (txt2audio's style_audio); null when none. */
  default String referenceAudio() {
    return null;
  }

  /** This input with its audio field at {@code url} instead (where the server stored an inline upload). */
  TaskInput withAudioUrl(String url);

  /** What to keep out, whichever of its two names the client used; empty when the type takes none (edit). */
  default String negative() {
    return "";
  }

  /** The text of a field sent as {@code name} or as its {@code alias}: the one given, the name's when neither is. */
  private static String either(String name, String alias) {
    return name != null ? name : alias != null ? alias : "";
  }

  /** @param styleAudio the URL of a reference whose tempo, key and timbre guide the music; null when none */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true) // rows an older version stored may hold more
  record Txt2Audio(String stylePrompt, String lyrics, double duration, String negativeStylePrompt, String negativePrompt,
      String styleAudio, Long seed, Integer inferStep, Double guidanceScale, OutputFormat outputFormat) implements TaskInput {
    @Override
    public TaskType type() {
      return TaskType.TXT2AUDIO;
    }

    @Override
    public String referenceAudio() {
      return styleAudio;
    }

    @Override
    public String negative() {
      return either(negativeStylePrompt, negativePrompt);
    }

    @Override
    public TaskInput withAudioUrl(String url) {
      return new Txt2Audio(stylePrompt, lyrics, duration, negativeStylePrompt, negativePrompt, url, seed, inferStep,
          guidanceScale, outputFormat);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true) // rows an older version stored may hold more
  record Audio2Audio(String styleAudio, String stylePrompt, String lyrics, String negativeStylePrompt, String negativePrompt,
      Long seed, Integer inferStep, Double guidanceScale, Double refAudioStrength, OutputFormat outputFormat)
      implements TaskInput {
    @Override
    public TaskType type() {
      return TaskType.AUDIO2AUDIO;
    }

    @Override
    public String sourceAudio() {
      return styleAudio;
    }

    @Override
    public String negative() {
      return either(negativeStylePrompt, negativePrompt);
    }

    @Override
    public TaskInput withAudioUrl(String url) {
      return new Audio2Audio(url, stylePrompt, lyrics, negativeStylePrompt, negativePrompt, seed, inferStep, guidanceScale,
          refAudioStrength, outputFormat);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true) // rows an older version stored may hold more
  record Edit(String audio, String stylePrompt, String lyrics, String editStylePrompt, String editLyrics, Long seed,
      Integer inferStep, Double guidanceScale, Double editStrength, OutputFormat outputFormat) implements TaskInput {
    @Override
    public TaskType type() {
      return TaskType.EDIT;
    }

    @Override
    public String sourceAudio() {
      return audio;
    }

    @Override
    public TaskInput withAudioUrl(String url) {
      return new Edit(url, stylePrompt, lyrics, editStylePrompt, editLyrics, seed, inferStep, guidanceScale, editStrength,
          outputFormat);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true) // rows an older version stored may hold more
  record Extend(String audio, double leftExtendDuration, double rightExtendDuration, String stylePrompt, String lyrics,
      String negativeStylePrompt, String negativePrompt, Long seed, Integer inferStep, Double guidanceScale,
      OutputFormat outputFormat) implements TaskInput {
    @Override
    public TaskType type() {
      return TaskType.EXTEND;
    }

    @Override
    public String sourceAudio() {
      return audio;
    }

    @Override
    public String negative() {
      return either(negativeStylePrompt, negativePrompt);
    }

    @Override
    public TaskInput withAudioUrl(String url) {
      return new Extend(url, leftExtendDuration, rightExtendDuration, stylePrompt, lyrics, negativeStylePrompt, negativePrompt,
          seed, inferStep, guidanceScale, outputFormat);
    }
  }

  /** The input of a task of {@code type} from its normalised JSON (as validation writes it, and the store keeps it). */
  static TaskInput of(TaskType type, JsonNode json) {
    Class<? extends TaskInput> form = switch (type) {
      case TXT2AUDIO -> Txt2Audio.class;
      case AUDIO2AUDIO -> Audio2Audio.class;
      case EDIT -> Edit.class;
      case EXTEND -> Extend.class;
    };
    try {
      return Json.MAPPER.treeToValue(json, form);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
