import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, forgetKey, storedKey, type Account } from '../api';
import { usd } from '../format';
import { useRoute } from '../route';
import { CreateTask } from './CreateTask';
import { History } from './History';
import { Keys } from './Keys';
import { SignIn } from './SignIn';
import { TaskPage } from './TaskPage';
import { UsageView } from './UsageView';

export function App() {
  const route = useRoute();
  const [account, setAccount] = useState<Account | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);

  const refreshAccount = useCallback(() => {
    api.account().then(setAccount, () => {
      // The stored key no longer works (disabled, or the server's store was reset).
      forgetKey();
      setAccount(null);
    }).finally(() => setChecking(false));
  }, []);

  useEffect(() => {
    if (storedKey()) refreshAccount();
  }, [refreshAccount]);

  if (checking) return <main class="centered">Signing in…</main>;
  if (!account) return <SignIn onSignedIn={setAccount} />;

  const signOut = () => {
    forgetKey();
    setAccount(null);
    location.hash = '';
  };
  const tab = (view: string, label: string) => (
    <a href={`#/${view}`} class={route.view === view ? 'tab active' : 'tab'} aria-current={route.view === view ? 'page' : undefined}>
      {label}
    </a>
  );

  return (
    <>
      <header class="top">
        <span class="brand">Refrain</span>
        <nav>
          {tab('create', 'Create')}
          {tab('history', 'History')}
          {tab('usage', 'Usage')}
          {account.admin && tab('keys', 'Keys')}
        </nav>
        <span class="who" data-testid="account">
          {account.account_name} · <span data-testid="balance">{account.wallet.point_remain === null ? 'unlimited' : usd(account.wallet.point_remain)}</span>
        </span>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {route.view === 'create' && <CreateTask />}
        {route.view === 'task' && <TaskPage id={route.id} onSettled={refreshAccount} />}
        {route.view === 'history' && <History />}
        {route.view === 'usage' && <UsageView />}
        {route.view === 'keys' && (account.admin ? <Keys selfId={account.account_id} /> : <p class="error">Key management needs an admin key.</p>)}
      </main>
    </>
  );
}
