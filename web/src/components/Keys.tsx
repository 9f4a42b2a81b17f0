import { useEffect, useState } from 'preact/hooks';
import { api, type KeyInfo } from '../api';
import { dateTime, usd } from '../format';
import { ErrorLine } from './ErrorLine';

/** Blank is "not given" (null); anything else goes as a number, or as typed so the server names the mistake. */
function numberOrNull(v: string): number | string | null {
  const t = v.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** Key management, for admin keys: the server refuses every other key with 403 all the same. */
export function Keys({ selfId }: { selfId: string }) {
  const [keys, setKeys] = useState<KeyInfo[]>([]);
  const [error, setError] = useState('');
  const [form, setForm] = useState({ name: '', credits: '', maxConcurrent: '', admin: false });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [topUp, setTopUp] = useState<Record<string, string>>({});

  const load = () => api.keys().then((d) => setKeys(d.keys), (err) => setError((err as Error).message));
  useEffect(() => {
    load();
  }, []);

  const act = async (work: () => Promise<unknown>) => {
    setError('');
    try {
      await work();
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(async () => {
      const made = await api.createKey({
        name: form.name,
        credits: numberOrNull(form.credits),
        max_concurrent: numberOrNull(form.maxConcurrent),
        admin: form.admin,
      });
      setSecret({ name: made.key.name, secret: made.secret });
      setForm({ name: '', credits: '', maxConcurrent: '', admin: false });
    });
  };

  return (
    <section class="card keys">
      <h1>API keys</h1>
      <form class="row" onSubmit={create} data-testid="new-key">
        <label class="field">
          <span class="label">Name</span>
          <input type="text" name="name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="label">Credits, USD (blank: unlimited)</span>
          <input type="text" inputMode="decimal" name="credits" value={form.credits} onInput={(e) => setForm({ ...form, credits: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="label">Max concurrent (blank: default)</span>
          <input type="text" inputMode="numeric" name="max_concurrent" value={form.maxConcurrent} onInput={(e) => setForm({ ...form, maxConcurrent: e.currentTarget.value })} />
        </label>
        <label class="check">
          <input type="checkbox" name="admin" checked={form.admin} onChange={(e) => setForm({ ...form, admin: e.currentTarget.checked })} /> Admin
        </label>
        <button type="submit">Create key</button>
      </form>
      {secret && (
        <div class="secret" role="status" data-testid="secret">
          <p>
            The key for <strong>{secret.name}</strong>. Copy it now: it is shown this once and never again.
          </p>
          <code>{secret.secret}</code>{' '}
          <button type="button" class="secondary" onClick={() => navigator.clipboard?.writeText(secret.secret)}>
            Copy
          </button>{' '}
          <button type="button" class="link" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorLine message={error} />
      <table class="keys" data-testid="keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Created</th>
            <th>Balance</th>
            <th>Concurrent</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr data-key-name={k.name} class={k.disabled ? 'disabled' : ''}>
              <td>
                {k.name} {k.admin && <span class="badge">admin</span>}
              </td>
              <td class="mono">{k.prefix}…</td>
              <td>{dateTime(k.created_at)}</td>
              <td data-testid="key-balance">{k.unlimited ? 'unlimited' : usd(k.balance ?? 0)}</td>
              <td>{k.max_concurrent ?? 'default'}</td>
              <td data-testid="key-state">{k.disabled ? 'disabled' : 'enabled'}</td>
              <td class="actions">
                {k.id !== selfId && (
                  <button type="button" class="secondary" onClick={() => act(() => api.setKeyDisabled(k.id, !k.disabled))}>
                    {k.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
                {!k.unlimited && (
                  <form
                    class="inline"
                    onSubmit={(e) => {
                      e.preventDefault();
                      act(async () => {
                        await api.addCredits(k.id, numberOrNull(topUp[k.id] ?? ''));
                        setTopUp({ ...topUp, [k.id]: '' });
                      });
                    }}
                  >
                    <input type="text" inputMode="decimal" name="add_credits" aria-label={`USD to add to ${k.name}`} placeholder="USD" size={6} value={topUp[k.id] ?? ''} onInput={(e) => setTopUp({ ...topUp, [k.id]: e.currentTarget.value })} />
                    <button type="submit" class="secondary">
                      Add
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
