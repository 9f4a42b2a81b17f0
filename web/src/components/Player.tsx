import { useEffect, useRef, useState } from 'preact/hooks';
import { sameOrigin } from '../api';
import { seconds as clock } from '../format';
import { draw, loadPeaks, type Peaks } from '../waveform';

const COLUMNS = 720;

/** The result: a player, its waveform (click to seek) and a download link. */
export function Player({ url: audioUrl, seconds }: { url: string; seconds?: number }) {
  const url = sameOrigin(audioUrl);
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [problem, setProblem] = useState('');
  const [played, setPlayed] = useState(0);

  useEffect(() => {
    const stop = new AbortController();
    setPeaks(null);
    loadPeaks(url, COLUMNS, stop.signal).then(setPeaks, (err) => {
      if (!stop.signal.aborted) setProblem(`No waveform: ${(err as Error).message}`);
    });
    return () => stop.abort();
  }, [url]);

  useEffect(() => {
    if (!peaks || !canvas.current) return;
    const css = getComputedStyle(canvas.current);
    draw(canvas.current, peaks, played, { wave: css.getPropertyValue('--wave').trim(), played: css.getPropertyValue('--accent').trim() });
  }, [peaks, played]);

  const seek = (e: MouseEvent) => {
    const el = audio.current;
    const box = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    if (!el || !peaks) return;
    el.currentTime = ((e.clientX - box.left) / box.width) * peaks.seconds;
    setPlayed(el.currentTime / peaks.seconds);
  };
  const fileName = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || 'refrain-audio');

  return (
    <div class="player" data-testid="player">
      <canvas
        ref={canvas}
        class={peaks ? 'waveform drawn' : 'waveform'}
        data-testid="waveform"
        width={COLUMNS}
        height={120}
        onClick={seek}
        title="Click to seek"
      />
      {problem && <p class="muted">{problem}</p>}
      <audio ref={audio} controls preload="metadata" src={url} onTimeUpdate={(e) => setPlayed(e.currentTarget.currentTime / (e.currentTarget.duration || 1))} />
      <p>
        <a class="button" href={url} download={fileName} data-testid="download">
          Download {fileName.split('.').pop()?.toUpperCase()}
        </a>{' '}
        <span class="muted">{clock(seconds)}</span>
      </p>
    </div>
  );
}
