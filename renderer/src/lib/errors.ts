// A readable message from anything thrown (ApiError, Error, a wire error object, or a string): what a
// user reads in a toast or beside a form, never a schema dump. No dependencies, so state classes and
// components can use it without reaching for the API client.

/** How a form names its fields to the user, by request field: `{ images: 'Digits' }`. */
export type FieldLabels = Readonly<Record<string, string>>;

interface Coded {
  message: string;
  code?: string;
}

function coded(err: unknown): Coded | null {
  if (err instanceof Error) return err as Error & { code?: string };
  if (typeof err === 'object' && err !== null && typeof (err as Coded).message === 'string') return err as Coded;
  return null;
}

/** True when the user cancelled (a normal outcome: say so quietly, not as a failure). */
export function isCancelled(err: unknown): boolean {
  return coded(err)?.code === 'CANCELLED';
}

/**
 * Older engines said `Invalid payload for "demo.create": images: Too small: expected number to be >=10`;
 * newer ones `Cannot run demo.create: "images" must be at least 10 (you sent 3).` Both lose the
 * request-name prefix (the user did not type "demo.create"); the old `field: rule` pairs become
 * `"field" rule.` sentences.
 */
function payloadWords(message: string): string {
  const legacy = /^Invalid payload for "[^"]+": (.*)$/s.exec(message);
  if (legacy) {
    return legacy[1]!
      .split('; ')
      .map((part) => {
        const m = /^([^:]+): (.*)$/s.exec(part);
        if (!m) return part;
        const field = m[1] === '(root)' ? 'The request' : `"${m[1]}"`;
        const rule = m[2]!.replace(/^Too small: expected \w+ to (?:be|have) /, 'must be ').replace(/^Too big: expected \w+ to (?:be|have) /, 'must be ');
        return `${field} ${rule.charAt(0).toLowerCase()}${rule.slice(1)}`.replace(/\.?$/, '.');
      })
      .join(' ');
  }
  return message.replace(/^Cannot run [\w.]+: /, '');
}

/** `"images" must be …` → `Digits must be …` for the fields a form labels itself. */
function withFieldLabels(text: string, fields: FieldLabels | undefined): string {
  if (!fields) return text;
  return text.replace(/"([\w.[\]]+)"/g, (whole, name: string) => fields[name] ?? whole);
}

/** HTTP status texts from a transport ("HTTP 500 Internal Server Error") in words. */
function httpWords(message: string): string {
  const m = /^HTTP (\d{3})\b/.exec(message);
  if (!m) return message;
  const status = Number(m[1]);
  if (status === 499) return 'Cancelled.';
  if (status >= 500) return `The S³GAN server could not answer (${message}). Look at the terminal running \`s3gan serve\` for the reason.`;
  return message;
}

export function errorMessage(err: unknown, fields?: FieldLabels): string {
  const e = coded(err);
  if (!e) return String(err);
  if (e.code === 'CANCELLED') return 'Cancelled.';
  if (e.code === 'INVALID_PAYLOAD') return withFieldLabels(payloadWords(e.message), fields);
  return httpWords(e.message);
}
