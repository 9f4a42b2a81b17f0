import { useState } from 'preact/hooks';
import { api, sameOrigin } from '../api';
import { ErrorLine } from './ErrorLine';

/**
 * An audio input: a file dropped or picked is uploaded at once (POST /api/ephemeral_resource, as
 * a data URI) and the URL the server keeps it under becomes the input; a URL may be pasted instead.
 */
export function AudioDrop({ label, name, value, onChange }: { label: string; name: string; value: string; onChange: (url: string) => void }) {
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [fileName, setFileName] = useState('');

  const upload = async (file: File) => {
    setError('');
    setBusy(`Uploading ${file.name}…`);
    try {
      const dataUri = await new Promise<string>((resolve, reject) => {
        const r = new FileReader();
        r.onload = () => resolve(r.result as string);
        r.onerror = () => reject(r.error);
        r.readAsDataURL(file);
      });
      const { url } = await api.upload(file.name, dataUri);
      setFileName(file.name);
      onChange(url);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy('');
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer?.files[0];
    if (file) upload(file);
  };

  return (
    <div class="field">
      <span class="label">{label}</span>
      <label
        class={over ? 'drop over' : 'drop'}
        data-testid={`drop-${name}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input
          type="file"
          accept="audio/*,.mp3,.wav,.flac,.ogg,.opus,.m4a,.aac"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) upload(f);
          }}
        />
        {busy || (fileName ? `✓ ${fileName}` : 'Drop an audio file here, or click to pick one')}
      </label>
      <input type="url" name={name} aria-label={`${label} URL`} placeholder="…or an audio URL" value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      {value && <audio controls preload="none" src={sameOrigin(value)} />}
      <ErrorLine message={error} />
    </div>
  );
}
