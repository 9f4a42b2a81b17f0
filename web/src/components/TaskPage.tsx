import { useEffect, useState } from 'preact/hooks';
import { api, type Task, type TaskStatus } from '../api';
import { followTask } from '../events';
import { dateTime, seconds, usd } from '../format';
import { Player } from './Player';
import { ErrorLine } from './ErrorLine';

/** One task, live: status, progress and log lines as the event stream brings them, then the result. */
export function TaskPage({ id, onSettled }: { id: string; onSettled: () => void }) {
  const [task, setTask] = useState<Task | null>(null);
  const [status, setStatus] = useState<TaskStatus | null>(null);
  const [progress, setProgress] = useState({ value: 0, stage: '' });
  const [logs, setLogs] = useState<string[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    const stop = new AbortController();
    setTask(null);
    setStatus(null);
    setLogs([]);
    setError('');
    const finish = (t: Task) => {
      setTask(t);
      setStatus(t.status);
      setProgress({ value: t.meta.progress, stage: t.meta.stage });
      setLogs(t.logs);
      onSettled();
    };
    api.task(id).then((t) => {
      if (stop.signal.aborted) return;
      setTask(t);
      if (t.status === 'completed' || t.status === 'failed') {
        finish(t);
        return;
      }
      followTask(id, {
        status: setStatus,
        progress: (value, stage) => setProgress({ value, stage }),
        log: (index, line) => setLogs((old) => (index < old.length ? old : [...old, line])),
        done: finish,
        error: setError,
      }, stop.signal);
    }, (err) => setError((err as Error).message));
    return () => stop.abort();
  }, [id]);

  if (error && !task) return <ErrorLine message={error} />;
  if (!task || !status) return <p class="muted">Loading task…</p>;
  const running = status === 'pending' || status === 'processing';
  const cancel = () => api.cancel(id).catch((err) => setError((err as Error).message));

  return (
    <section class="card task" data-testid="task">
      <h1>
        {task.task_type} <span class={`status ${status}`} data-testid="status">{status}</span>
      </h1>
      <p class="muted mono">{task.task_id}</p>
      {running && (
        <>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.value * 100)}>
            <div class="bar" style={{ width: `${Math.round(progress.value * 100)}%` }} />
          </div>
          <p class="muted" data-testid="stage">
            {Math.round(progress.value * 100)}% {progress.stage}
          </p>
          <button type="button" class="secondary" onClick={cancel}>
            Cancel
          </button>
        </>
      )}
      {status === 'completed' && task.output && <Player url={task.output.audio_url} seconds={task.output.duration} />}
      {status === 'failed' && (
        <p class="error" role="alert" data-testid="task-error">
          {task.error.message}
        </p>
      )}
      <ErrorLine message={error} />
      <dl class="facts">
        <dt>Created</dt>
        <dd>{dateTime(task.meta.created_at)}</dd>
        <dt>Finished</dt>
        <dd>{dateTime(task.meta.ended_at)}</dd>
        <dt>Length</dt>
        <dd>{seconds(task.output?.duration)}</dd>
        <dt>Cost</dt>
        <dd>{usd(task.meta.usage.consume || task.meta.usage.frozen)}</dd>
        {typeof task.input.style_prompt === 'string' && (
          <>
            <dt>Style</dt>
            <dd>{task.input.style_prompt}</dd>
          </>
        )}
      </dl>
      <details open={running}>
        <summary>Log ({logs.length})</summary>
        <ol class="logs" data-testid="logs">
          {logs.map((l) => (
            <li>{l}</li>
          ))}
        </ol>
      </details>
    </section>
  );
}
