import { useState } from 'preact/hooks';
import { api, storeKey, type Account } from '../api';
import { ErrorLine } from './ErrorLine';

export function SignIn({ onSignedIn }: { onSignedIn: (a: Account) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const account = await api.account(key.trim());
      storeKey(key.trim());
      onSignedIn(account);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="centered">
      <form class="card signin" onSubmit={submit}>
        <h1>Refrain</h1>
        <p class="muted">Sign in with an API key. It stays in this tab only and is forgotten when the tab closes.</p>
        <label>
          API key
          <input type="password" name="key" autocomplete="off" placeholder="rk_…" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        <ErrorLine message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
