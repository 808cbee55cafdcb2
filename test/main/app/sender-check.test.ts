import { describe, expect, it } from 'vitest';
import { createSenderCheck, isAppUrl } from '../../../main/app/sender-check';

describe('isAppUrl', () => {
  it('matches the exact packaged file and nothing else on file:', () => {
    const app = 'file:///opt/app/out/renderer/index.html';
    expect(isAppUrl('file:///opt/app/out/renderer/index.html#/gallery', app)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppUrl('file:///opt/app/out/renderer/other.html', app)).toBe(false);
  });
  it('matches the dev server by origin', () => {
    const app = 'http://localhost:5173/';
    expect(isAppUrl('http://localhost:5173/some/route', app)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', app)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
  });
});

describe('createSenderCheck', () => {
  it('trusts only the main window top frame showing the app', () => {
    const top = { url: 'http://localhost:5173/' };
    const check = createSenderCheck({ mainFrame: () => top, appUrl: 'http://localhost:5173/' });
    expect(check(top)).toBe(true);
    expect(check({ url: 'http://localhost:5173/' })).toBe(false); // a subframe with the same URL
    expect(check(null)).toBe(false);
    expect(createSenderCheck({ mainFrame: () => null, appUrl: 'http://localhost:5173/' })(top)).toBe(false);
  });
});
