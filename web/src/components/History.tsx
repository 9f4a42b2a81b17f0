import { useEffect, useState } from 'preact/hooks';
import { api, STATUSES, TASK_TYPES, type HistoryPage } from '../api';
import { dateTime, seconds, usd } from '../format';
import { ErrorLine } from './ErrorLine';

const PAGE_SIZE = 10;

/** Unix seconds of a yyyy-mm-dd date's local midnight, or of the midnight after it. */
function dayStart(date: string, next = false): number | undefined {
  if (!date) return undefined;
  const d = new Date(`${date}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return Math.floor(d.getTime() / 1000);
}

export function History() {
  const [filters, setFilters] = useState({ status: '', taskType: '', from: '', to: '' });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<HistoryPage | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    setError('');
    api
      .history({ page, pageSize: PAGE_SIZE, status: filters.status, taskType: filters.taskType, from: dayStart(filters.from), to: dayStart(filters.to, true) })
      .then((d) => current && setData(d), (err) => current && setError((err as Error).message));
    return () => {
      current = false;
    };
  }, [filters, page]);

  const filter = (name: keyof typeof filters) => (e: Event) => {
    setFilters({ ...filters, [name]: (e.currentTarget as HTMLInputElement).value });
    setPage(1);
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <section class="card history">
      <h1>History</h1>
      <div class="row filters">
        <label class="field">
          <span class="label">Status</span>
          <select name="status" value={filters.status} onChange={filter('status')}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="label">Type</span>
          <select name="task_type" value={filters.taskType} onChange={filter('taskType')}>
            <option value="">any</option>
            {TASK_TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="label">From</span>
          <input type="date" name="from" value={filters.from} onChange={filter('from')} />
        </label>
        <label class="field">
          <span class="label">To</span>
          <input type="date" name="to" value={filters.to} onChange={filter('to')} />
        </label>
      </div>
      <ErrorLine message={error} />
      {data && (
        <>
          <table class="tasks" data-testid="history">
            <thead>
              <tr>
                <th>Created</th>
                <th>Type</th>
                <th>Status</th>
                <th>Style</th>
                <th>Length</th>
                <th>Cost</th>
              </tr>
            </thead>
            <tbody>
              {data.tasks.map((t) => (
                <tr data-task-id={t.task_id}>
                  <td>
                    <a href={`#/task/${t.task_id}`}>{dateTime(t.meta.created_at)}</a>
                  </td>
                  <td>{t.task_type}</td>
                  <td>
                    <span class={`status ${t.status}`}>{t.status}</span>
                  </td>
                  <td class="clip">{String(t.input.style_prompt ?? '')}</td>
                  <td>{seconds(t.output?.duration)}</td>
                  <td>{usd(t.meta.usage.consume || t.meta.usage.frozen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.tasks.length === 0 && <p class="muted">No tasks match.</p>}
          <nav class="pager">
            <button type="button" class="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              ← Newer
            </button>
            <span data-testid="page-info">
              Page {data.page} of {pages} · {data.total} task{data.total === 1 ? '' : 's'}
            </span>
            <button type="button" class="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Older →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
