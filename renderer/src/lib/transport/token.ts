// Web-mode token handling. The bridge prints a URL with ?token=…; we move it to sessionStorage and
// strip it from the address bar, so reloads keep working and the token is not left on screen.

export interface TokenEnv {
  location: { search: string; pathname: string; hash: string };
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  history: Pick<History, 'replaceState' | 'state'>;
}

const KEY = 's3gan.token';

export function resolveToken(env: TokenEnv): string | null {
  const params = new URLSearchParams(env.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    env.storage.setItem(KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    const clean = env.location.pathname + (rest ? `?${rest}` : '') + env.location.hash;
    env.history.replaceState(env.history.state, '', clean);
    return fromUrl;
  }
  return env.storage.getItem(KEY);
}
