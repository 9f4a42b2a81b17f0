// Section tags in lyrics, read the way the engines read them: a bracketed tag names a section by
// a word it contains ("[Chorus - anthemic]", "[Verse 2]", "[pre chorus x2]"); a tag with none of
// those words is sung as a verse, which is rarely what was meant, so the editor warns about it.

/** Tags offered by the editor's insert buttons. */
export const SECTION_TAGS = ['intro', 'verse', 'pre-chorus', 'chorus', 'bridge', 'hook', 'solo', 'break', 'drop', 'inst', 'outro'];

const SECTION_WORDS = ['chorus', 'hook', 'refrain', 'verse', 'bridge', 'intro', 'outro', 'ending', 'coda', 'solo', 'drop', 'break',
  'interlude', 'inst'];

export function isKnownTag(tag: string): boolean {
  const t = tag.toLowerCase();
  return t.trim() === 'end' || SECTION_WORDS.some((w) => t.includes(w));
}

/** A piece of the lyrics: plain text, or a tag with its brackets. */
export interface Piece {
  text: string;
  tag?: { name: string; known: boolean };
}

const TAG = /\[([^\]\n]*)\]/g;

export function pieces(lyrics: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const m of lyrics.matchAll(TAG)) {
    if (m.index > at) out.push({ text: lyrics.slice(at, m.index) });
    out.push({ text: m[0], tag: { name: m[1], known: isKnownTag(m[1]) } });
    at = m.index + m[0].length;
  }
  if (at < lyrics.length) out.push({ text: lyrics.slice(at) });
  return out;
}

/** One warning per unknown tag, with the line it is on. */
export function unknownTags(lyrics: string): { tag: string; line: number }[] {
  const out: { tag: string; line: number }[] = [];
  lyrics.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(TAG)) if (!isKnownTag(m[1])) out.push({ tag: m[0], line: i + 1 });
  });
  return out;
}

/** `text` with `[tag]` on a line of its own at `cursor`; the new cursor sits on the line after it. */
export function insertTag(text: string, cursor: number, tag: string): { text: string; cursor: number } {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const lead = before === '' || before.endsWith('\n') ? '' : '\n';
  const insert = `${lead}[${tag}]\n`;
  return { text: before + insert + after, cursor: cursor + insert.length };
}
