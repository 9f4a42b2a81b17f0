import { useState } from 'preact/hooks';
import { api, TASK_TYPES, type TaskType } from '../api';
import { go } from '../route';
import { AudioDrop } from './AudioDrop';
import { LyricsEditor } from './LyricsEditor';
import { ErrorLine } from './ErrorLine';

const TYPE_LABELS: Record<TaskType, string> = {
  txt2audio: 'Text to music',
  audio2audio: 'Restyle a reference',
  edit: 'Edit a track',
  extend: 'Extend a track',
};

/** Which input fields each task type takes (api.md, "Task types"). */
const FIELDS: Record<TaskType, string[]> = {
  txt2audio: ['style_prompt', 'lyrics', 'duration', 'negative_style_prompt', 'style_audio'],
  audio2audio: ['style_audio', 'style_prompt', 'lyrics', 'negative_style_prompt'],
  edit: ['audio', 'style_prompt', 'lyrics', 'edit_style_prompt', 'edit_lyrics'],
  extend: ['audio', 'left_extend_duration', 'right_extend_duration', 'style_prompt', 'lyrics', 'negative_style_prompt'],
};

const INITIAL: Record<string, string | number> = {
  style_prompt: '',
  lyrics: '[verse]\n\n[chorus]\n',
  edit_style_prompt: '',
  edit_lyrics: '[inst]',
  negative_style_prompt: '',
  duration: 60,
  left_extend_duration: 0,
  right_extend_duration: 15,
  audio: '',
  style_audio: '',
  seed: '',
  output_format: 'mp3',
};

export function CreateTask() {
  const [type, setType] = useState<TaskType>('txt2audio');
  const [v, setV] = useState(INITIAL);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (value: string | number) => setV((old) => ({ ...old, [name]: value }));
  const has = (f: string) => FIELDS[type].includes(f);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setBusy(true);
    // Required fields go as typed, even empty, so the server's own message says what is missing;
    // empty optional ones are left to the server's defaults.
    const input: Record<string, unknown> = {};
    for (const f of FIELDS[type]) {
      const val = v[f];
      const optional = f === 'lyrics' || f === 'edit_lyrics' || f === 'negative_style_prompt' || (f === 'style_audio' && type === 'txt2audio');
      if (typeof val === 'string' && val.trim() === '' && optional) continue;
      input[f] = val;
    }
    const seed = String(v.seed).trim();
    if (seed !== '') input.seed = /^-?\d+$/.test(seed) ? Number(seed) : seed;
    input.output_format = v.output_format;
    try {
      const task = await api.create(type, input);
      go(`task/${task.task_id}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const text = (name: string, label: string, placeholder = '') => (
    <label class="field">
      <span class="label">{label}</span>
      <input type="text" name={name} placeholder={placeholder} value={v[name] as string} onInput={(e) => set(name)(e.currentTarget.value)} />
    </label>
  );
  // The label names the range input alone: an <output> inside it would be the label's control.
  const slider = (name: string, label: string, min: number, max: number) => (
    <div class="field slider">
      <span class="label">
        <label for={`field-${name}`}>{label}</label>: <output for={`field-${name}`}>{v[name]} s</output>
      </span>
      <input id={`field-${name}`} type="range" name={name} min={min} max={max} step={1} value={v[name]} onInput={(e) => set(name)(Number(e.currentTarget.value))} />
    </div>
  );

  return (
    <form class="card create" onSubmit={submit}>
      <h1>Create</h1>
      <div class="segmented" role="radiogroup" aria-label="Task type">
        {TASK_TYPES.map((t) => (
          <label class={t === type ? 'active' : ''}>
            <input type="radio" name="task_type" value={t} checked={t === type} onChange={() => setType(t)} />
            {TYPE_LABELS[t]}
          </label>
        ))}
      </div>
      {has('audio') && <AudioDrop label="Audio" name="audio" value={v.audio as string} onChange={set('audio')} />}
      {has('style_audio') && (
        <AudioDrop
          label={type === 'txt2audio' ? 'Reference audio (optional: its tempo, key and timbre)' : 'Reference audio'}
          name="style_audio"
          value={v.style_audio as string}
          onChange={set('style_audio')}
        />
      )}
      {has('left_extend_duration') && slider('left_extend_duration', 'Add before', 0, 240)}
      {has('right_extend_duration') && slider('right_extend_duration', 'Add after', 0, 240)}
      {text('style_prompt', type === 'edit' ? 'Style of the input' : 'Style', 'upbeat pop, piano, 120 bpm')}
      {has('lyrics') && <LyricsEditor label={type === 'edit' ? 'Lyrics of the input' : 'Lyrics'} name="lyrics" value={v.lyrics as string} onChange={set('lyrics')} />}
      {has('edit_style_prompt') && text('edit_style_prompt', 'Style wanted', 'guitar and piano, pop')}
      {has('edit_lyrics') && <LyricsEditor label="Lyrics wanted" name="edit_lyrics" value={v.edit_lyrics as string} onChange={set('edit_lyrics')} />}
      {has('negative_style_prompt') && text('negative_style_prompt', 'Avoid', 'no drums')}
      {has('duration') && slider('duration', 'Duration', 10, 240)}
      <div class="row">
        {text('seed', 'Seed (optional)', 'random')}
        <label class="field">
          <span class="label">Format</span>
          <select name="output_format" value={v.output_format as string} onChange={(e) => set('output_format')(e.currentTarget.value)}>
            <option value="mp3">MP3</option>
            <option value="wav">WAV</option>
            <option value="flac">FLAC</option>
          </select>
        </label>
      </div>
      <ErrorLine message={error} />
      <button type="submit" disabled={busy}>
        Create
      </button>
    </form>
  );
}
