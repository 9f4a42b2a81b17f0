import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Usage } from '../api';
import { drawUsage } from '../chart';
import { usd } from '../format';
import { ErrorLine } from './ErrorLine';

const RANGES = [7, 30, 90];

export function UsageView() {
  const [days, setDays] = useState(30);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState('');
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let current = true;
    api.usage(days).then((u) => current && setUsage(u), (err) => current && setError((err as Error).message));
    return () => {
      current = false;
    };
  }, [days]);

  useEffect(() => {
    if (!usage || !canvas.current) return;
    const el = canvas.current;
    const css = getComputedStyle(el);
    const paint = () =>
      drawUsage(el, usage.points, {
        bars: css.getPropertyValue('--accent').trim(),
        line: css.getPropertyValue('--line').trim(),
        axis: css.getPropertyValue('--border').trim(),
        text: css.getPropertyValue('--muted').trim(),
      });
    paint();
    const resize = new ResizeObserver(paint);
    resize.observe(el);
    return () => resize.disconnect();
  }, [usage]);

  const spent = usage?.points.reduce((s, p) => s + p.consumed, 0) ?? 0;
  const tasks = usage?.points.reduce((s, p) => s + p.tasks, 0) ?? 0;
  const active = usage?.points.filter((p) => p.consumed > 0 || p.tasks > 0) ?? [];

  return (
    <section class="card usage">
      <h1>Balance and usage</h1>
      <div class="segmented" role="radiogroup" aria-label="Range">
        {RANGES.map((d) => (
          <label class={d === days ? 'active' : ''}>
            <input type="radio" name="days" value={d} checked={d === days} onChange={() => setDays(d)} />
            {d} days
          </label>
        ))}
      </div>
      <ErrorLine message={error} />
      {usage && (
        <>
          <p data-testid="usage-summary">
            Spent {usd(spent)} on {tasks} task{tasks === 1 ? '' : 's'} in {usage.days} days · balance {usage.balance === null ? 'unlimited' : usd(usage.balance)}
          </p>
          <canvas ref={canvas} class="chart" data-testid="usage-chart" role="img" aria-label={`Spending per day over ${usage.days} days`} />
          <p class="legend muted">
            <span class="swatch bars" /> spent per day (UTC){usage.balance !== null && (
              <>
                {' '}
                <span class="swatch line" /> balance at day's end
              </>
            )}
          </p>
          {active.length > 0 && (
            <table class="days" data-testid="usage-days">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Tasks</th>
                  <th>Spent</th>
                  <th>Balance</th>
                </tr>
              </thead>
              <tbody>
                {active.reverse().map((p) => (
                  <tr>
                    <td>{p.date}</td>
                    <td>{p.tasks}</td>
                    <td>{usd(p.consumed)}</td>
                    <td>{p.balance === null ? '—' : usd(p.balance)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
