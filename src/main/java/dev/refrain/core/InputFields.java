package dev.refrain.core;

import dev.refrain.core.InputField.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every field of every task type, described once (../shared/spec/api.md, "Task types"): request
 * validation, the OpenAPI document, the MCP tools' schemas and `refrain task create`'s flags are
 * all made from this list.
 */
public final class InputFields {
  private static final String AUDIO_FORMS = "An http(s) URL (an audio_url or an upload of this server works best), raw base64,"
      + " or a data:audio/...;base64, URI; mp3, wav, flac, ogg/vorbis, opus or m4a/aac, told apart by their bytes, not their"
      + " name. Inline audio is at most the server's upload limit (REFRAIN_MAX_UPLOAD_BYTES, 10 MB by default) decoded: upload"
      + " bigger files and pass their URL. A URL that can't be fetched, or bytes that aren't audio, fail the task (not the"
      + " request) with a clear error.message.";
  private static final String LYRICS_DOC = "Lyrics, one line per sung phrase, under section tags on their own lines: [intro],"
      + " [verse], [pre-chorus], [chorus], [bridge], [outro]. \"[inst]\" alone means instrumental, no vocals. At most 4096"
      + " characters.";
  private static final double NONE = Double.NaN;

  private static final InputField STYLE_PROMPT = new InputField("style_prompt", Kind.PROMPT, true, NONE, NONE, null,
      "Style of the music: genre, mood, instruments, tempo, key, as comma-separated tags, e.g. \"upbeat pop, piano, female"
          + " vocals, 120 bpm, in A minor\". At most 1024 characters.",
      null, "--style", "TEXT", "style prompt: genre, mood, instruments", false);
  private static final InputField LYRICS = new InputField("lyrics", Kind.LYRICS, false, NONE, NONE, null,
      LYRICS_DOC + " Default \"[inst]\".", null, "--lyrics", "TEXT",
      "lyrics with [verse], [chorus]... tags; default [inst]; - reads stdin", false);
  private static final InputField DURATION = new InputField("duration", Kind.SECONDS, false, 10, NONE, 60.0,
      "Length of the music in seconds, from 10 up to the server's ceiling (REFRAIN_MAX_DURATION, 240 by default)."
          + " A numeric string is taken too. Default 60.",
      null, "--duration", "S", "seconds of audio (default 60)", false);
  private static final InputField NEGATIVE = new InputField("negative_style_prompt", Kind.PROMPT, false, NONE, NONE, null,
      "What to keep out of the music: instruments, styles or traits, e.g. \"drums, distorted guitar, fast\". Optional.",
      "negative_prompt", "--negative", "TEXT", "what to avoid", false);
  private static final InputField STYLE_AUDIO = new InputField("style_audio", Kind.AUDIO, true, NONE, NONE, null,
      "The reference audio whose tempo, key, loudness contour and length the new music follows. " + AUDIO_FORMS,
      null, "--style-audio", "URL|FILE", "the reference audio", false);
  private static final InputField AUDIO = new InputField("audio", Kind.AUDIO, true, NONE, NONE, null,
      "The audio to work on. " + AUDIO_FORMS, null, "--audio", "URL|FILE", "the audio to work on", false);
  private static final InputField EDIT_STYLE_PROMPT = new InputField("edit_style_prompt", Kind.PROMPT, true, NONE, NONE, null,
      "The style wanted, e.g. \"acoustic guitar and piano, pop\".", null, "--edit-style", "TEXT", "the style wanted", false);
  private static final InputField EDIT_LYRICS = new InputField("edit_lyrics", Kind.LYRICS, false, NONE, NONE, null,
      "The lyrics wanted. " + LYRICS_DOC + " Default \"[inst]\".", null, "--edit-lyrics", "TEXT",
      "the lyrics wanted (default [inst])", false);
  private static final InputField LEFT = new InputField("left_extend_duration", Kind.SECONDS, false, 0, NONE, 0.0,
      "Seconds of new music to add before the audio. Default 0.", null, "--left", "S", "seconds added before", false);
  private static final InputField RIGHT = new InputField("right_extend_duration", Kind.SECONDS, false, 0, NONE, 0.0,
      "Seconds of new music to add after the audio. Default 0. Together with left_extend_duration it must be more than 0,"
          + " and the whole output at most the server's ceiling (240 seconds by default).",
      null, "--right", "S", "seconds added after", false);
  private static final InputField SEED = new InputField("seed", Kind.SEED, false, NONE, NONE, null,
      "Integer seed for reproducible output: the same request with the same seed on the same engine gives the same audio."
          + " Drawn at random when omitted (or -1); the output reports it.",
      null, "--seed", "N", "seed for reproducible output", true);
  private static final InputField INFER_STEP = new InputField("infer_step", Kind.WHOLE, false, 1, 200, null,
      "Diffusion steps, passed to GPU backends that take it (the preview engine ignores it).",
      null, "--infer-step", "N", "diffusion steps, for GPU backends (1 to 200)", true);
  private static final InputField GUIDANCE_SCALE = new InputField("guidance_scale", Kind.NUMBER, false, 0, 30, null,
      "How closely to follow the prompt, passed to GPU backends that take it.",
      null, "--guidance-scale", "X", "how closely to follow the prompt, for GPU backends (0 to 30)", true);
  private static final InputField REF_AUDIO_STRENGTH = new InputField("ref_audio_strength", Kind.NUMBER, false, 0, 1, null,
      "How much of the reference to keep, for GPU backends that take it.",
      null, "--ref-audio-strength", "X", "how much of the reference to keep, for GPU backends (0 to 1)", true);
  private static final InputField EDIT_STRENGTH = new InputField("edit_strength", Kind.NUMBER, false, 0, 1, null,
      "How far to move from the input, for GPU backends that take it.",
      null, "--edit-strength", "X", "how far to move from the input, for GPU backends (0 to 1)", true);
  private static final InputField OUTPUT_FORMAT = new InputField("output_format", Kind.FORMAT, false, NONE, NONE, null,
      "Format of the output file: mp3 (the default), wav or flac.", null, "--format", "FORMAT",
      "output format: mp3, wav or flac (default mp3)", true);


  /** Made once: every create request reads its type's list. */
  private static final Map<TaskType, List<InputField>> BY_TYPE = new EnumMap<>(TaskType.class);

  static {
    for (TaskType t : TaskType.values()) BY_TYPE.put(t, list(t));
  }

  private InputFields() {}

  /** The name of the field that holds the audio a task of {@code type} works on; null for txt2audio. */
  public static String audioField(TaskType type) {
    return of(type).stream().filter(f -> f.kind() == Kind.AUDIO).map(InputField::name).findFirst().orElse(null);
  }

  /** The fields a task of {@code type} takes, in the order they are checked and echoed. */
  public static List<InputField> of(TaskType type) {
    return BY_TYPE.get(type);
  }

  private static List<InputField> list(TaskType type) {
    List<InputField> f = new ArrayList<>();
    switch (type) {
      case TXT2AUDIO -> {
        f.add(STYLE_PROMPT);
        f.add(LYRICS);
        f.add(DURATION);
        f.add(NEGATIVE);
        f.add(STYLE_AUDIO.asOptional().describedAs("A reference recording whose tempo, key and timbre guide the new music"
            + " (listed for txt2audio in PiAPI's model catalog); the output still has the duration asked. Optional. "
            + AUDIO_FORMS));
      }
      case AUDIO2AUDIO -> {
        f.add(STYLE_AUDIO);
        f.add(STYLE_PROMPT.describedAs("Style of the new music: genre, mood, instruments, as comma-separated tags, e.g."
            + " \"lofi hip hop, mellow, rhodes\". At most 1024 characters."));
        f.add(LYRICS);
        f.add(NEGATIVE);
      }
      case EDIT -> {
        f.add(AUDIO.describedAs("The audio to edit; the output has its length. " + AUDIO_FORMS));
        f.add(STYLE_PROMPT.describedAs("The style of the input audio as it is now, e.g. \"acoustic guitar, folk\"."));
        f.add(LYRICS.describedAs("The lyrics of the input audio as it is now, with section tags. Default \"[inst]\"."));
        f.add(EDIT_STYLE_PROMPT);
        f.add(EDIT_LYRICS);
      }
      case EXTEND -> {
        f.add(AUDIO.describedAs("The audio to extend; it is kept unchanged in the middle of the output. "
            + AUDIO_FORMS));
        f.add(LEFT);
        f.add(RIGHT);
        f.add(STYLE_PROMPT.describedAs("Style of the added music, usually that of the audio, e.g. \"piano, calm\"."));
        f.add(LYRICS);
        f.add(NEGATIVE);
      }
    }
    f.add(SEED);
    f.add(INFER_STEP);
    f.add(GUIDANCE_SCALE);
    if (type == TaskType.AUDIO2AUDIO) f.add(REF_AUDIO_STRENGTH);
    if (type == TaskType.EDIT) f.add(EDIT_STRENGTH);
    f.add(OUTPUT_FORMAT);
    return List.copyOf(f);
  }
}
