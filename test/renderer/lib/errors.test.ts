// Errors in words (issue 14: "Invalid payload for "demo.create": images: Too small…" reached users):
// the request name goes, old `field: rule` dumps become sentences, a form's own field labels replace
// the request's field names, a cancel is "Cancelled.", an HTTP 5xx says where to look.
import { describe, expect, it } from 'vitest';
import { parseRequest, toWireError } from '../../../shared/contract';
import { errorMessage, isCancelled } from '../../../renderer/src/lib/errors';

const apiError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** What the engine (or the client's own check) says for these params, as the renderer receives it. */
function refusal(name: string, params: unknown) {
  try {
    parseRequest(name, params);
  } catch (e) {
    const w = toWireError(e);
    return apiError(w.code, w.message);
  }
  throw new Error('expected a refusal');
}

describe('errorMessage', () => {
  it("today's engine sentence loses the request name and takes the form's labels", () => {
    const err = refusal('demo.create', { images: 3 });
    expect(err.message).toMatch(/^Cannot run demo\.create: /);
    expect(errorMessage(err)).toBe('"images" must be at least 10 (you sent 3).');
    expect(errorMessage(err, { images: 'Digits' })).toBe('Digits must be at least 10 (you sent 3).');
  });

  it('a relative path reads as a sentence naming the field as the form does', () => {
    const text = errorMessage(refusal('images.import', { folders: ['photos'] }), { 'folders[0]': 'Folder to import' });
    expect(text).toMatch(/^Folder to import must be an absolute path \(like \/home\/you\/photos/);
    expect(text).toMatch(/\(you sent "photos"\)\.$/);
    expect(text).not.toMatch(/images\.import|Invalid payload/);
  });

  it("an older engine's schema dump becomes sentences", () => {
    const old = apiError('INVALID_PAYLOAD', 'Invalid payload for "demo.create": images: Too small: expected number to be >=10; labelsPerClass: Invalid input');
    expect(errorMessage(old)).toBe('"images" must be >=10. "labelsPerClass" invalid input.');
    expect(errorMessage(old, { images: 'Digits' })).toMatch(/^Digits must be >=10\./);
  });

  it('cancelled is a normal outcome; HTTP failures say where to look; other errors pass through', () => {
    expect(errorMessage(apiError('CANCELLED', 'Job cancelled'))).toBe('Cancelled.');
    expect(isCancelled(apiError('CANCELLED', 'x'))).toBe(true);
    expect(isCancelled({ code: 'CANCELLED', message: 'x', name: 'E' })).toBe(true);
    expect(isCancelled(apiError('IO', 'x'))).toBe(false);
    expect(errorMessage(apiError('INTERNAL', 'HTTP 500 Internal Server Error'))).toMatch(/server could not answer \(HTTP 500 Internal Server Error\).*terminal/);
    expect(errorMessage(apiError('INTERNAL', 'HTTP 499 Cancelled'))).toBe('Cancelled.');
    expect(errorMessage(apiError('NO_PROJECT', 'No project is open'))).toBe('No project is open');
    expect(errorMessage({ name: 'ContractError', message: 'disk full', code: 'IO' })).toBe('disk full');
    expect(errorMessage('plain')).toBe('plain');
  });
});
