package dev.refrain.engine;

import dev.refrain.audio.AudioClip;
import dev.refrain.task.TaskType;

/**
 * One unit of work for an engine: the normalised request plus the decoded source audio.
 *
 * @param sourceAudio the decoded `audio` (edit, extend) or `style_audio` (audio2audio); null for txt2audio
 * @param duration seconds wanted for txt2audio; ignored otherwise
 * @param leftExtend seconds to add before the source (extend only)
 * @param rightExtend seconds to add after the source (extend only)
 * @param seed resolved seed: the request's, or one the server drew and recorded
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
    AudioClip sourceAudio) {}
