package dev.refrain.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A completed task's `output` (../shared/spec/api.md, "The task object"); {@link TaskView} sends it
 * as it was stored.
 *
 * @param duration seconds, to the millisecond, as billed
 * @param format the output's extension
 * @param size bytes
 * @param sampleRate null when the engine gave encoded audio
 * @param channels null when the engine gave encoded audio
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskOutput(String audioUrl, double duration, String format, long size, long seed, Integer sampleRate,
    Integer channels) {}
