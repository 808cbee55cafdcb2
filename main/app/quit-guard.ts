// Quitting: if a job is running, ask first; in every case close the engine cleanly (it disposes
// the project and releases its lock) before letting the app exit.
export interface QuitDeps {
  activeJobs(): string[];
  /** Resolves true when the user agrees to stop the running jobs. */
  confirmStopJobs(count: number): Promise<boolean>;
  closeEngine(): Promise<void>;
  quit(): void;
  log?: (msg: string) => void;
}

export function createQuitGuard(deps: QuitDeps): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (state === 'closed') return; // second pass, after the engine is closed: let it quit
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void (async () => {
      const jobs = deps.activeJobs();
      if (jobs.length > 0 && !(await deps.confirmStopJobs(jobs.length))) {
        state = 'running';
        return;
      }
      try {
        await deps.closeEngine();
      } catch (e) {
        deps.log?.(`closing the engine failed: ${(e as Error).message}`);
      }
      state = 'closed';
      deps.quit();
    })();
  };
}
