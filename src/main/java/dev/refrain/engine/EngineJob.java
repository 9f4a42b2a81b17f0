package dev.refrain.engine;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.OutputFormat;
import dev.refrain.core.TaskType;

/**
 * One unit of work for an engine: the normalised request plus the decoded source audio.
 *
 * @param sourceAudio the decoded `audio` (edit, extend) or `style_audio` (audio2audio); null for txt2audio
 * @param duration seconds wanted for txt2audio; ignored otherwise
 * @param leftExtend seconds to add before the source (extend only)
 * @param rightExtend seconds to add after the source (extend only)
 * @param seed resolved seed: the request's, or one the server drew and recorded
 * @param format the output format the client asked for (engines that produce encoded audio use it)
 * @param sourceUrl where the source audio came from (an http(s) URL), or null for txt2audio
 * @param knobs optional generation settings the request passed through
 */
public record EngineJob(
    String taskId,
    TaskType type,
    String stylePrompt,
    String lyrics,
    String negativeStylePrompt,
    String editStylePrompt,
    String editLyrics,
    double duration,
    double leftExtend,
    double rightExtend,
    long seed,
    AudioClip sourceAudio,
    OutputFormat format,
    String sourceUrl,
    Knobs knobs) {

  /**
   * Optional per-request settings for engines that support them (beyond PiAPI); null means the
   * engine's or deployment's default.
   *
   * @param inferSteps diffusion steps (`infer_step`)
   * @param guidanceScale classifier-free guidance (`guidance_scale`)
   * @param refAudioStrength how closely audio2audio follows its reference (`ref_audio_strength`, 0–1)
   * @param editStrength how much of the source's structure an edit keeps (`edit_strength`, 0–1)
   */
  public record Knobs(Integer inferSteps, Double guidanceScale, Double refAudioStrength, Double editStrength) {
    public static final Knobs NONE = new Knobs(null, null, null, null);
  }
}
