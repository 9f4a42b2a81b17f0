import { useRef } from 'preact/hooks';
import { insertTag, pieces, SECTION_TAGS, unknownTags } from '../lyrics';

/**
 * A textarea over a highlighted copy of its own text: the textarea's text is transparent, so the
 * tags coloured underneath show through, and editing stays a plain textarea's.
 */
export function LyricsEditor({ label, name, value, onChange }: { label: string; name: string; value: string; onChange: (v: string) => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const shadow = useRef<HTMLPreElement>(null);
  const warnings = unknownTags(value);

  const insert = (tag: string) => {
    const el = area.current!;
    const next = insertTag(value, el.selectionStart, tag);
    onChange(next.text);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(next.cursor, next.cursor);
    });
  };
  const syncScroll = () => {
    if (shadow.current && area.current) shadow.current.scrollTop = area.current.scrollTop;
  };

  return (
    <div class="field lyrics" data-testid={`lyrics-${name}`}>
      <span class="label">{label}</span>
      <div class="tag-buttons" role="toolbar" aria-label={`Insert a section tag into ${label}`}>
        {SECTION_TAGS.map((t) => (
          <button type="button" class="chip" onClick={() => insert(t)}>
            [{t}]
          </button>
        ))}
      </div>
      <div class="editor">
        <pre class="shadow" ref={shadow} aria-hidden="true">
          {pieces(value).map((p) => (p.tag ? <mark class={p.tag.known ? 'tag' : 'tag unknown'}>{p.text}</mark> : p.text))}
          {'\n'}
        </pre>
        <textarea
          ref={area}
          name={name}
          aria-label={label}
          spellcheck={false}
          rows={8}
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
          onScroll={syncScroll}
        />
      </div>
      {warnings.map((w) => (
        <p class="warning" role="status">
          Line {w.line}: unknown section tag {w.tag}; it will be sung as a verse. Known: {SECTION_TAGS.map((t) => `[${t}]`).join(' ')}
        </p>
      ))}
    </div>
  );
}
