package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays the song's sections onto the grid. The lyric sheet gives the order and, through its lines and
 * syllables, each section's length; an instrumental piece takes one of a few common forms. The
 * whole is fitted to the grid: intro and outro added where there is room, solos and repeats of the
 * song filling a long piece, later sections dropped or cut short in a short one. Where the grid
 * imposes section starts, the sections go onto those spans in order, repeated or dropped to fit.
 */
final class Arrangement {
  /**
   * A section on the grid, over [start, end) in beats from the downbeat.
   *
   * @param block what is sung in it, or null
   * @param key equal for sections that play the same material (a chorus and its return)
   */
  record Span(Section kind, Lyrics.Block block, String key, double start, double end) {}

  private record Item(Section kind, Lyrics.Block block, String key, int bars) {
    Item resized(int bars) {
      return new Item(kind, block, key, bars);
    }
  }

  private static final Section[][] FORMS = {
      {Section.INTRO, Section.VERSE, Section.CHORUS, Section.VERSE, Section.CHORUS, Section.BRIDGE, Section.CHORUS, Section.OUTRO},
      {Section.INTRO, Section.VERSE, Section.VERSE, Section.CHORUS, Section.BRIDGE, Section.CHORUS, Section.OUTRO},
      {Section.INTRO, Section.VERSE, Section.CHORUS, Section.SOLO, Section.VERSE, Section.CHORUS, Section.OUTRO}};
  /** Club music builds and drops instead of verses and choruses. */
  private static final Section[] CLUB = {Section.INTRO, Section.VERSE, Section.BREAK, Section.DROP, Section.VERSE,
      Section.BREAK, Section.DROP, Section.OUTRO};

  private Arrangement() {}

  static List<Span> lay(Lyrics lyrics, Style style, Sheet sheet, SplittableRandom rng) {
    int form = rng.nextInt(FORMS.length);
    Grid grid = sheet.grid();
    int bpb = grid.beatsPerBar();
    double first = sheet.beat(0);
    double last = sheet.beat(grid.frames());
    List<Item> body = body(lyrics, style, form);

    if (!grid.sectionStarts().isEmpty()) {
      List<Integer> starts = grid.sectionStarts();
      List<Item> items = forSpans(body, starts.size());
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < starts.size(); i++) {
        double start = i == 0 ? Math.min(first, sheet.beat(starts.get(0))) : sheet.beat(starts.get(i));
        double end = i + 1 < starts.size() ? sheet.beat(starts.get(i + 1)) : last;
        Item item = items.get(i);
        if (end > start) spans.add(new Span(item.kind(), item.block(), item.key(), start, end));
      }
      return spans;
    }

    double firstLine = Math.ceil(first / bpb - 1e-9) * bpb;
    int bars = (int) Math.max(0, Math.floor((last - firstLine) / bpb + 1e-9));
    // The final bar is kept for the closing tonic, so a song that just fits is sung to its last line.
    List<Item> items = fit(body, Math.max(0, bars - 1));
    if (bars > 0) items.set(items.size() - 1, items.getLast().resized(items.getLast().bars() + 1));
    List<Span> spans = new ArrayList<>();
    double at = first;
    int bar = 0;
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      bar += item.bars();
      double end = i == items.size() - 1 ? last : firstLine + bar * bpb;
      spans.add(new Span(item.kind(), item.block(), item.key(), at, end));
      at = end;
    }
    return spans;
  }

  /** The sections in the sheet's order, or an instrumental form. */
  private static List<Item> body(Lyrics lyrics, Style style, int form) {
    List<Item> items = new ArrayList<>();
    if (lyrics.instrumental()) {
      for (Section s : style.genre().groove().club() ? CLUB : FORMS[form]) items.add(new Item(s, null, s.label(), s.bars));
      return items;
    }
    for (Lyrics.Block b : lyrics.blocks()) {
      int bars = b.lines().isEmpty() ? b.kind().bars : b.lines().size() * Melody.phraseBars(b, style);
      // A twelve-bar blues sings its sections in whole choruses of twelve.
      if (style.genre().harmony() == Harmony.BLUES) bars = (bars + 11) / 12 * 12;
      items.add(new Item(b.kind(), b, b.key(), bars));
    }
    return items;
  }

  /** The body lengthened or shortened to exactly {@code bars} bars. */
  private static List<Item> fit(List<Item> body, int bars) {
    List<Item> items = new ArrayList<>(body);
    int need = total(items);
    if (items.getFirst().kind() != Section.INTRO && bars - need >= 8) {
      items.addFirst(new Item(Section.INTRO, null, "intro", 4));
      need += 4;
    }
    if (items.getLast().kind() != Section.OUTRO && bars - need >= 4) {
      items.add(new Item(Section.OUTRO, null, "outro", 4));
      need += 4;
    }
    List<Item> fill = filling(body);
    int outro = items.getLast().kind() == Section.OUTRO ? 1 : 0;
    for (int f = 0; bars - need >= 4; f++) {
      Item next = fresh(fill.get(f % fill.size()), f / fill.size());
      Item put = next.bars() <= bars - need ? next : next.resized(bars - need);
      items.add(items.size() - outro, put);
      need += put.bars();
    }
    if (need < bars) {
      Item end = items.getLast();
      items.set(items.size() - 1, end.resized(end.bars() + bars - need));
      return items;
    }
    // Too long: keep sections in order while they fit, cut the one that crosses the end.
    List<Item> kept = new ArrayList<>();
    int used = 0;
    for (Item item : items) {
      int room = bars - used;
      if (room <= 0) break;
      if (item.bars() <= room) {
        kept.add(item);
        used += item.bars();
      } else if (room >= 2 || kept.isEmpty()) {
        kept.add(item.resized(room));
        used = bars;
      } else {
        Item prev = kept.removeLast();
        kept.add(prev.resized(prev.bars() + room));
        used = bars;
      }
    }
    if (kept.isEmpty()) kept.add(items.getFirst().resized(0));
    return kept;
  }

  /** What fills a long piece, in turn: a solo, then the song's sections again. */
  private static List<Item> filling(List<Item> body) {
    List<Item> fill = new ArrayList<>();
    fill.add(new Item(Section.SOLO, null, "solo", Section.SOLO.bars));
    body.stream().filter(i -> i.kind() != Section.INTRO && i.kind() != Section.OUTRO && i.bars() > 0).forEach(fill::add);
    return fill;
  }

  /** Sections for a grid's imposed spans: intro and outro when there are spans to spare, then repeats. */
  private static List<Item> forSpans(List<Item> body, int spans) {
    List<Item> items = new ArrayList<>(body);
    if (spans >= items.size() + 2 && items.getFirst().kind() != Section.INTRO) items.addFirst(new Item(Section.INTRO, null, "intro", 4));
    if (spans >= items.size() + 1 && items.getLast().kind() != Section.OUTRO) items.add(new Item(Section.OUTRO, null, "outro", 4));
    List<Item> fill = filling(body);
    int outro = items.getLast().kind() == Section.OUTRO ? 1 : 0;
    for (int f = 0; items.size() < spans; f++) items.add(items.size() - outro, fresh(fill.get(f % fill.size()), f / fill.size()));
    return items.subList(0, spans);
  }

  /**
   * A filling section on its {@code round}-th time round: a sung one stays itself (a chorus comes
   * back as it was), an instrumental one (a solo) gets material of its own each time.
   */
  private static Item fresh(Item item, int round) {
    return item.block() != null || round == 0 ? item : new Item(item.kind(), null, item.key() + " " + (round + 1), item.bars());
  }

  private static int total(List<Item> items) {
    return items.stream().mapToInt(Item::bars).sum();
  }
}
