// Shape of one CLI command module (main/cli/commands/<name>.ts).
export interface CliIO {
  /** Human-readable progress/info: stderr when --json, so stdout's last line stays the JSON object. */
  log(msg: string): void;
  json: boolean;
}

export interface CliCommand {
  summary: string;
  usage: string;
  /** Returns the command's result object: printed as JSON (with --json) or as a readable summary. */
  run(argv: string[], io: CliIO): Promise<Record<string, unknown>>;
}
