// Follows a task through GET /api/v1/task/{id}/events. EventSource can't send the x-api-key
// header, so the stream is a fetch() whose body is read as it arrives and parsed as SSE.
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { ApiError, storedKey, type Task, type TaskStatus } from './api';

export interface TaskListener {
  status(status: TaskStatus): void;
  progress(progress: number, stage: string): void;
  log(index: number, line: string): void;
  /** The whole task, once it is completed or failed. */
  done(task: Task): void;
  error(message: string): void;
}

const RETRY_MS = 1000;

/**
 * Streams a task's events until it ends or `signal` aborts. A dropped connection is resumed
 * from the last log line seen (Last-Event-ID); an error answer (404, 401) ends it.
 */
export async function followTask(id: string, on: TaskListener, signal: AbortSignal): Promise<void> {
  let lastLog: string | undefined;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { 'x-api-key': storedKey() ?? '', Accept: 'text/event-stream' };
      if (lastLog !== undefined) headers['Last-Event-ID'] = lastLog;
      const res = await fetch(`api/v1/task/${encodeURIComponent(id)}/events`, { headers, signal });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => ({}));
        throw new ApiError(res.status, body.message || `HTTP ${res.status}`);
      }
      const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      for await (const e of events) {
        const data = JSON.parse(e.data);
        switch (e.event) {
          case 'status':
            on.status(data.status);
            break;
          case 'progress':
            on.progress(data.progress, data.stage);
            break;
          case 'log':
            lastLog = e.id;
            on.log(data.index, data.line);
            break;
          case 'task':
            on.done(data as Task);
            return;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError) {
        on.error(err.message);
        return;
      }
    }
    // The stream ended before the task did (a restart, a proxy's timeout): pick it up again.
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}
