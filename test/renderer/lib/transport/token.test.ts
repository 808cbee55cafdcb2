import { describe, expect, it } from 'vitest';
import { resolveToken, type TokenEnv } from '../../../../renderer/src/lib/transport/token';

function env(search: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['s3gan.token', stored]] : []);
  const replaced: string[] = [];
  const e: TokenEnv = {
    location: { search, pathname: '/', hash: '#x' },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    history: { state: null, replaceState: (_s, _t, url) => void replaced.push(String(url)) },
  };
  return { e, storage, replaced };
}

describe('resolveToken', () => {
  it('takes the token from the URL, stores it and strips it from the address bar', () => {
    const { e, storage, replaced } = env('?token=abc&view=label');
    expect(resolveToken(e)).toBe('abc');
    expect(storage.get('s3gan.token')).toBe('abc');
    expect(replaced).toEqual(['/?view=label#x']);
  });

  it('falls back to the stored token after a reload (URL already clean)', () => {
    const { e, replaced } = env('', 'stored');
    expect(resolveToken(e)).toBe('stored');
    expect(replaced).toEqual([]);
  });

  it('a new URL token wins over a stale stored one (server restarted)', () => {
    const { e, storage } = env('?token=new', 'old');
    expect(resolveToken(e)).toBe('new');
    expect(storage.get('s3gan.token')).toBe('new');
  });

  it('returns null when there is no token anywhere', () => {
    expect(resolveToken(env('').e)).toBeNull();
  });
});
