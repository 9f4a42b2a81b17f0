package dev.refrain.engine.preview;

/**
 * One event of the score.
 *
 * @param start first frame
 * @param length frames the note is held (its sound may ring on after)
 * @param key MIDI note number; for drums the General MIDI drum (see {@link Drum})
 * @param velocity loudness in (0, 1]
 * @param pan stereo position in [-1, 1]
 * @param syllable what {@link Part#VOICE} sings on the note; null for every other part
 */
record Note(int start, int length, int key, float velocity, float pan, Part part, Syllable syllable) {}
