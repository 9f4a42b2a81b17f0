package dev.refrain.engine.preview;

/**
 * Drum patterns, one bar in sixteenths (a bar of 4/4 unless the strings are shorter): {@code X}
 * accent, {@code x} hit, {@code o} soft, {@code g} ghost, {@code .} rest. The extra line is a
 * genre's own colour: ride, rim clave, cowbell, congas, toms or shaker.
 */
enum Groove {
  NONE("", "", "", "", "", Kit.SNARE, Kit.SHAKER),
  POP("X.....x.X.......", "....X.......X...", "x.o.x.o.x.o.x.o.", "..............x.", "", Kit.CLAP, Kit.TAMBOURINE),
  ROCK("X.......X.x.....", "....X.......X...", "x.x.x.x.x.x.x.x.", "", "", Kit.SNARE, Kit.RIDE),
  PUNK("X.x.X.x.X.x.X.x.", "....X.......X...", "x.x.x.x.x.x.x.x.", "", "", Kit.SNARE, Kit.CRASH),
  METAL("xxxxxxxxxxxxxxxx", "....X.......X...", "x...x...x...x...", "", "", Kit.SNARE, Kit.RIDE),
  FOUR_ON_THE_FLOOR("X...X...X...X...", "....x.......x...", "o.o.o.o.o.o.o.o.", "..x...x...x...x.", "", Kit.CLAP, Kit.SHAKER),
  DISCO("X...X...X...X...", "....X.......X...", "x.x.x.x.x.x.x.x.", "..x...x...x...x.", "", Kit.SNARE, Kit.TAMBOURINE),
  TECHNO("X...X...X...X...", "....o.......o...", "oxoooxoooxoooxoo", "..x...x...x...x.", "...x..x....x..x.", Kit.CLAP, Kit.RIM),
  BREAKBEAT("X.........x.....", "....X.......X..g", "xxxxxxxxxxxxxxxx", "......x.......x.", "..g....g.g......", Kit.SNARE, Kit.RIM),
  TRAP("X......x..X...x.", "........X.......", "x.x.x.x.x.x.x.x.", "", "", Kit.CLAP, Kit.RIM),
  HALF_TIME("X.........x.....", "........X.......", "x.x.x.x.x.x.x.x.", "", "..o...o...o...o.", Kit.SNARE, Kit.SHAKER),
  BOOM_BAP("X......x..X.....", "....X.......X...", "x.o.x.o.x.o.x.o.", "", "", Kit.SNARE, Kit.SHAKER),
  RNB("X.....x...x..x..", "....X.......X...", "xoxoxoxoxoxoxoxo", "", "", Kit.CLAP, Kit.SHAKER),
  FUNK("X.........x..x..", "....X..g.g..X..g", "xoxoxoxoxoxoxoxo", "", "", Kit.SNARE, Kit.COWBELL),
  ONE_DROP("........X.......", "........X.......", "x.o.x.o.x.o.x.o.", "", "", Kit.RIM, Kit.SHAKER),
  BOSSA("X..xX..xX..xX..x", "", "x.x.x.x.x.x.x.x.", "", "x..x..x...x.x...", Kit.RIM, Kit.RIM),
  LATIN("X.....x.X.....x.", "", "x.x.x.x.x.x.x.x.", "", "x...x...x...x...", Kit.RIM, Kit.COWBELL),
  SHUFFLE("X.......X.......", "....X.......X...", "x.x.x.x.x.x.x.x.", "", "", Kit.SNARE, Kit.RIDE),
  JAZZ("o.......o.......", "..........g.....", "....x.......x...", "", "x...x.x.x...x.x.", Kit.SNARE, Kit.RIDE),
  COUNTRY("X.......X.......", "....x.......x...", "x.x.x.x.x.x.x.x.", "", "", Kit.SNARE, Kit.TAMBOURINE),
  SYNTHWAVE("X.......X.......", "....X.......X...", "x.x.x.x.x.x.x.x.", "", "", Kit.SNARE, Kit.TAMBOURINE),
  WALTZ("X...........", "....o...o...", "x...x...x...", "", "", Kit.RIM, Kit.RIDE),
  BALLAD("X.......x.o.....", "........X.......", "x.o.x.o.x.o.x.o.", "", "", Kit.RIM, Kit.SHAKER),
  CINEMATIC("X.......X.......", "", "", "", "x..x..x.x..x..x.", Kit.SNARE, Kit.TOM_LOW),
  SPARSE("X...............", "", "", "", "o.o.o.o.o.o.o.o.", Kit.RIM, Kit.SHAKER);

  final String kick;
  final String snare;
  final String hat;
  final String openHat;
  final String extra;
  final int snareKey;
  final int extraKey;

  Groove(String kick, String snare, String hat, String openHat, String extra, int snareKey, int extraKey) {
    this.kick = kick;
    this.snare = snare;
    this.hat = hat;
    this.openHat = openHat;
    this.extra = extra;
    this.snareKey = snareKey;
    this.extraKey = extraKey;
  }

  /** Club music's grooves: a track built on drums and bass, which builds and drops rather than going verse to chorus. */
  boolean club() {
    return this == FOUR_ON_THE_FLOOR || this == TECHNO || this == BREAKBEAT || this == HALF_TIME || this == TRAP;
  }

  /**
   * Whether the kick and snare are what makes the genre, so an input's are not taken over: four on
   * the floor, bossa nova's surdo figure, reggae's one drop, jazz's feathered kick, a waltz's one.
   */
  boolean ownsItsKick() {
    return switch (this) {
      case FOUR_ON_THE_FLOOR, DISCO, TECHNO, BOSSA, ONE_DROP, JAZZ, WALTZ, NONE, SPARSE, CINEMATIC -> true;
      default -> false;
    };
  }

  /** What keeps time on the steady line: bossa nova's drummer sweeps brushes on the snare, the rest ride the hi-hat. */
  int hatKey() {
    return this == BOSSA ? Kit.BRUSH : Kit.HAT;
  }

  /** Beats the pattern strings cover. */
  int beats() {
    return Math.max(kick.length(), 4) / 4;
  }
}
