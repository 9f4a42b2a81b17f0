package dev.refrain.engine;

import dev.refrain.audio.AudioClip;
import dev.refrain.core.InputField;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;

/**
 * One unit of work for an engine: the task's input, its resolved seed and its decoded audio. The
 * accessors read the input the way an engine wants it, a field a type lacks as its neutral value.
 *
 * <p>Audio comes in two roles. The source is what the task transforms, and the output follows its
 * length. The reference only guides new music (its tempo, key and timbre), and the output keeps the
 * duration asked. Both may come from a field named `style_audio`: audio2audio's is its source,
 * txt2audio's a reference.
 *
 * @param seed the request's seed, or the one the server drew and recorded
 * @param sourceAudio the decoded `audio` (edit, extend) or `style_audio` (audio2audio); null for txt2audio
 * @param referenceAudio the decoded `style_audio` of a txt2audio; null when it has none, and for the other types
 */
public record EngineJob(String taskId, TaskInput input, long seed, AudioClip sourceAudio, AudioClip referenceAudio) {

  public TaskType type() {
    return input.type();
  }

  public String stylePrompt() {
    return input.stylePrompt();
  }

  public String lyrics() {
    return input.lyrics();
  }

  /** What to keep out; empty when the type takes none (edit). */
  public String negativeStylePrompt() {
    return input.negative();
  }

  /** The style an edit wants; empty for other types. */
  public String editStylePrompt() {
    return input instanceof TaskInput.Edit e ? e.editStylePrompt() : "";
  }

  /** The lyrics an edit wants; instrumental for other types. */
  public String editLyrics() {
    return input instanceof TaskInput.Edit e ? e.editLyrics() : InputField.INSTRUMENTAL;
  }

  /** Seconds wanted for txt2audio; 0 for other types (their length follows the source). */
  public double duration() {
    return input instanceof TaskInput.Txt2Audio t ? t.duration() : 0;
  }

  /** Seconds to add before the source (extend only). */
  public double leftExtend() {
    return input instanceof TaskInput.Extend e ? e.leftExtendDuration() : 0;
  }

  /** Seconds to add after the source (extend only). */
  public double rightExtend() {
    return input instanceof TaskInput.Extend e ? e.rightExtendDuration() : 0;
  }

  /** The output format the client asked for (engines that produce encoded audio use it). */
  public OutputFormat format() {
    return input.format();
  }

  /** Where the source audio came from (an http(s) URL); null for txt2audio. */
  public String sourceUrl() {
    return input.sourceAudio();
  }

  /** Where the reference audio came from (an http(s) URL); null when there is none. */
  public String referenceUrl() {
    return input.referenceAudio();
  }

  /** The optional generation settings the request passed through. */
  public Knobs knobs() {
    return new Knobs(input.inferStep(), input.guidanceScale(),
        input instanceof TaskInput.Audio2Audio a ? a.refAudioStrength() : null,
        input instanceof TaskInput.Edit e ? e.editStrength() : null);
  }

  /**
   * Optional per-request settings for engines that support them (beyond PiAPI); null means the
   * engine's or deployment's default.
   *
   * @param inferSteps diffusion steps (`infer_step`)
   * @param guidanceScale classifier-free guidance (`guidance_scale`)
   * @param refAudioStrength how closely audio2audio follows its reference (`ref_audio_strength`, 0–1)
   * @param editStrength how much of the source's structure an edit keeps (`edit_strength`, 0–1)
   */
  public record Knobs(Integer inferSteps, Double guidanceScale, Double refAudioStrength, Double editStrength) {}
}
