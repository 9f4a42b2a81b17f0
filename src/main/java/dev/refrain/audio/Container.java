package dev.refrain.audio;

/** An audio file format, as recognised by {@link AudioSniffer} from its first bytes. */
public enum Container {
  MP3("mp3"),
  WAV("wav"),
  FLAC("flac"),
  OGG("ogg"),
  /** MP4 family: m4a, mp4, mov, 3gp. */
  MP4("mp4"),
  /** Raw AAC in ADTS frames. */
  AAC("aac"),
  /** WebM and Matroska. */
  WEBM("matroska"),
  AIFF("aiff");

  /** FFmpeg's demuxer name: naming it stops FFmpeg from guessing on its own. */
  final String demuxer;

  Container(String demuxer) {
    this.demuxer = demuxer;
  }
}
