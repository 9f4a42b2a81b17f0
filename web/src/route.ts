// Hash routes (#/create, #/task/<id>, ...): the server serves one page, and a reload or a shared
// link lands on the same view.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'create' }
  | { view: 'task'; id: string }
  | { view: 'history' }
  | { view: 'usage' }
  | { view: 'keys' };

export function parse(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  switch (view) {
    case 'task':
      return id ? { view: 'task', id: decodeURIComponent(id) } : { view: 'create' };
    case 'history':
    case 'usage':
    case 'keys':
      return { view };
    default:
      return { view: 'create' };
  }
}

export function go(path: string): void {
  location.hash = '#/' + path;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
