// A readable message from anything thrown (ApiError, Error, or a string); no dependencies, so state
// classes and components can use it without reaching for the API client.
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
