// One in-app question at a time ("stop the running job?"); ConfirmDialog.svelte shows it modally.
export interface Question {
  message: string;
  confirmLabel: string;
  cancelLabel: string;
}

export class ConfirmState {
  question = $state.raw<Question | null>(null);
  #resolve: ((ok: boolean) => void) | null = null;

  /** Resolves true on confirm, false on cancel/Escape; a newer question cancels an older one. */
  ask(message: string, labels: Partial<Omit<Question, 'message'>> = {}): Promise<boolean> {
    this.answer(false);
    this.question = { message, confirmLabel: labels.confirmLabel ?? 'OK', cancelLabel: labels.cancelLabel ?? 'Cancel' };
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  answer(ok: boolean): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.question = null;
    resolve?.(ok);
  }
}
