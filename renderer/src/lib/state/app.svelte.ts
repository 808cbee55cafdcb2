// App-wide UI state: current view, theme, backend info, connection, and transient notices.
import type { Result } from '../../../../shared/contract';
import type { Client, ConnectionState } from '../api';
import { errorMessage } from '../errors';

export type ViewName = 'project' | 'label' | 'clusters' | 'review' | 'train' | 'samples';
export type ThemeChoice = 'auto' | 'light' | 'dark';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** One button on the notice ("Overwrite them", "Undo"); pressing it runs `run` and closes the notice. */
  action?: NoticeAction;
}

export interface NoticeAction {
  label: string;
  run: () => unknown;
}

const THEME_KEY = 's3gan.theme';
const VIEW_KEY = 's3gan.view';
const viewNames: readonly ViewName[] = ['project', 'label', 'clusters', 'review', 'train', 'samples'];

export class AppState {
  view = $state<ViewName>('project');
  theme = $state<ThemeChoice>('auto');
  /** The system's colour scheme (for 'auto'); canvases redraw when the resolved theme changes. */
  systemDark = $state(false);
  resolvedTheme = $derived<'light' | 'dark'>(this.theme === 'auto' ? (this.systemDark ? 'dark' : 'light') : this.theme);
  info = $state.raw<Result<'app.info'> | null>(null);
  connection = $state<ConnectionState>('connecting');
  /** Nothing arrives from the server (down, or it rejects this page's token): progress shown is frozen. */
  offline = $derived(this.connection === 'closed' || this.connection === 'unauthorized' || this.connection === 'no-token');
  /** Retrying cannot help: the page must be opened at the address the server printed. */
  locked = $derived(this.connection === 'unauthorized' || this.connection === 'no-token');
  notices = $state.raw<Notice[]>([]);
  #nextNotice = 1;

  constructor(private readonly api: Pick<Client, 'request' | 'mode'>) {
    const saved = readTheme();
    if (saved) this.theme = saved;
    const mq = safeGet(() => window.matchMedia('(prefers-color-scheme: dark)'));
    if (mq) {
      this.systemDark = mq.matches;
      mq.addEventListener?.('change', (e) => (this.systemDark = e.matches));
    }
    applyTheme(this.theme);
    // A reload (web mode) returns to the same view.
    const view = safeGet(() => sessionStorage.getItem(VIEW_KEY));
    if (view && (viewNames as string[]).includes(view)) this.view = view as ViewName;
  }

  /** Electron (native dialogs) or web mode (served by `s3gan serve`). */
  get mode(): 'electron' | 'web' {
    return this.api.mode;
  }

  show(view: ViewName): void {
    this.view = view;
    safeGet(() => sessionStorage.setItem(VIEW_KEY, view));
  }

  setTheme(choice: ThemeChoice): void {
    this.theme = choice;
    applyTheme(choice); // now, so that canvases redrawn for the new theme read the new CSS colours
    try {
      localStorage.setItem(THEME_KEY, choice);
    } catch {
      // storage can be disabled (private mode); the choice still applies for this session
    }
  }

  cycleTheme(): void {
    const order: ThemeChoice[] = ['auto', 'light', 'dark'];
    this.setTheme(order[(order.indexOf(this.theme) + 1) % order.length]!);
  }

  async loadInfo(): Promise<void> {
    try {
      this.info = await this.api.request('app.info', {});
    } catch (err) {
      this.notify('error', `Could not read app info: ${errorMessage(err)}`);
    }
  }

  /**
   * A toast. The same text already shown is not stacked twice (a failure can be told both by the
   * request's answer and by its job.finished event). A notice with an action stays longer: it offers a choice.
   */
  notify(kind: Notice['kind'], text: string, opts: { ttlMs?: number; action?: NoticeAction } = {}): void {
    if (this.notices.some((n) => n.kind === kind && n.text === text && !n.action && !opts.action)) return;
    const notice: Notice = { id: this.#nextNotice++, kind, text, ...(opts.action ? { action: opts.action } : {}) };
    this.notices = [...this.notices, notice].slice(-4);
    setTimeout(() => this.dismiss(notice.id), opts.ttlMs ?? (opts.action ? 15_000 : kind === 'error' ? 8000 : 3500));
  }

  /** Runs a notice's action once and closes the notice. */
  act(id: number): void {
    const n = this.notices.find((x) => x.id === id);
    this.dismiss(id);
    void n?.action?.run();
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

/** Storage can be unavailable (disabled, sandboxed, Node tests): treat that as "nothing saved". */
function safeGet<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function readTheme(): ThemeChoice | null {
  const v = safeGet(() => localStorage.getItem(THEME_KEY));
  return v === 'light' || v === 'dark' || v === 'auto' ? v : null;
}

/** 'auto' removes the attribute so prefers-color-scheme decides. */
function applyTheme(choice: ThemeChoice): void {
  if (typeof document === 'undefined') return;
  if (choice === 'auto') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}
