// A waveform from the audio file itself: fetched, decoded with Web Audio, reduced to one peak
// pair (lowest and highest sample, over all channels) per pixel column, and drawn on a canvas.

export interface Peaks {
  min: Float32Array;
  max: Float32Array;
  seconds: number;
}

export async function loadPeaks(url: string, columns: number, signal: AbortSignal): Promise<Peaks> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`the audio answered HTTP ${res.status}`);
  const bytes = await res.arrayBuffer();
  // An OfflineAudioContext decodes without asking for an output device (and autoplay permission).
  const ctx = new OfflineAudioContext(1, 1, 44100);
  const audio = await ctx.decodeAudioData(bytes);
  return peaks(audio, columns);
}

export function peaks(audio: AudioBuffer, columns: number): Peaks {
  const min = new Float32Array(columns);
  const max = new Float32Array(columns);
  const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
  const per = audio.length / columns;
  for (let col = 0; col < columns; col++) {
    let lo = 0;
    let hi = 0;
    const end = Math.min(audio.length, Math.floor((col + 1) * per));
    for (let i = Math.floor(col * per); i < end; i++) {
      for (const ch of channels) {
        const v = ch[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    min[col] = lo;
    max[col] = hi;
  }
  return { min, max, seconds: audio.duration };
}

/** Draws the peaks, the part already played (up to `played`, 0..1) in the accent colour. */
export function draw(canvas: HTMLCanvasElement, p: Peaks, played: number, colors: { wave: string; played: string }): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  const mid = height / 2;
  const cols = p.min.length;
  for (let x = 0; x < cols; x++) {
    const top = mid - Math.max(p.max[x], 0.004) * mid;
    const bottom = mid - Math.min(p.min[x], -0.004) * mid;
    g.fillStyle = x / cols < played ? colors.played : colors.wave;
    g.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
}
