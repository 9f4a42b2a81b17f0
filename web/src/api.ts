// The Refrain API as the workspace uses it: the routes and envelope every client sees, at paths
// relative to the page (which may sit under a proxy's prefix), the key sent as x-api-key. The key
// lives in sessionStorage only: gone when the tab closes, and never a cookie, so no other site's
// request can carry it.

const KEY_ITEM = 'refrain.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_ITEM);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_ITEM);
}

/**
 * A URL of the server's own files, as this page should fetch it: the server names them under the
 * base URL it was reached by (its <meta name="refrain-base">), which need not be this page's origin
 * (the page at 127.0.0.1, the URLs at localhost), so those are read from here instead, relative to
 * the page like the API. Other URLs (a bucket's, anyone's) stay as they are.
 */
export function sameOrigin(url: string): string {
  const base = document.querySelector<HTMLMetaElement>('meta[name="refrain-base"]')?.content;
  return base && url.startsWith(base + '/files/') ? url.slice(base.length + 1) : url;
}

/** An error answer: the server's own message, which names the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type TaskType = 'txt2audio' | 'audio2audio' | 'edit' | 'extend';
export const TASK_TYPES: TaskType[] = ['txt2audio', 'audio2audio', 'edit', 'extend'];
export const STATUSES: TaskStatus[] = ['pending', 'processing', 'completed', 'failed'];

export interface Task {
  task_id: string;
  model: string;
  task_type: TaskType;
  status: TaskStatus;
  input: Record<string, unknown>;
  output: { audio_url: string; duration?: number } | null;
  meta: {
    created_at: string;
    started_at: string;
    ended_at: string;
    usage: { type: string; frozen: number; consume: number };
    progress: number;
    stage: string;
  };
  logs: string[];
  error: { code: number; message: string; raw_message: string };
}

export interface Account {
  account_id: string;
  account_name: string;
  plan: string;
  admin: boolean;
  credits: number | null;
  wallet: { point_remain: number | null };
}

export interface HistoryPage {
  tasks: Task[];
  total: number;
  page: number;
  page_size: number;
}

export interface UsagePoint {
  date: string;
  consumed: number;
  tasks: number;
  balance: number | null;
}

export interface Usage {
  days: number;
  balance: number | null;
  points: UsagePoint[];
}

export interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  disabled: boolean;
  admin: boolean;
  unlimited: boolean;
  balance: number | null;
  credits: number | null;
  max_concurrent: number | null;
}

/** Calls the API with the signed-in key (or `key`) and unwraps the envelope's data. */
async function call<T>(method: string, path: string, body?: unknown, key = storedKey()): Promise<T> {
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'the server did not answer; is it running?');
  }
  let envelope: { code?: number; data?: T; message?: string } = {};
  try {
    envelope = await res.json();
  } catch {
    // a proxy's HTML error page, say: the status says enough
  }
  if (!res.ok) throw new ApiError(res.status, envelope.message || `HTTP ${res.status}`);
  return envelope.data as T;
}

export const api = {
  account: (key?: string) => call<Account>('GET', 'account/info', undefined, key),
  task: (id: string) => call<Task>('GET', `api/v1/task/${encodeURIComponent(id)}`),
  create: (taskType: TaskType, input: Record<string, unknown>) =>
    call<Task>('POST', 'api/v1/task', { model: 'Qubico/ace-step', task_type: taskType, input }),
  cancel: (id: string) => call<null>('DELETE', `api/v1/task/${encodeURIComponent(id)}`),
  upload: (fileName: string, dataUri: string) =>
    call<{ url: string }>('POST', 'api/ephemeral_resource', { file_name: fileName, file_data: dataUri }),
  history: (q: { page: number; pageSize: number; status?: string; taskType?: string; from?: number; to?: number }) => {
    const p = new URLSearchParams({ page: String(q.page), page_size: String(q.pageSize) });
    if (q.status) p.set('status', q.status);
    if (q.taskType) p.set('task_type', q.taskType);
    if (q.from) p.set('start_time', String(q.from));
    if (q.to) p.set('end_time', String(q.to));
    return call<HistoryPage>('GET', `api/open/tasks/histories?${p}`);
  },
  usage: (days: number) => call<Usage>('GET', `account/usage?days=${days}`),
  keys: () => call<{ keys: KeyInfo[] }>('GET', 'api/v1/admin/keys'),
  createKey: (k: { name: string; credits: number | string | null; max_concurrent: number | string | null; admin: boolean }) =>
    call<{ key: KeyInfo; secret: string }>('POST', 'api/v1/admin/keys', k),
  setKeyDisabled: (id: string, disabled: boolean) =>
    call<KeyInfo>('POST', `api/v1/admin/keys/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`),
  addCredits: (id: string, credits: number | string | null) =>
    call<KeyInfo>('POST', `api/v1/admin/keys/${encodeURIComponent(id)}/credits`, { credits }),
};
