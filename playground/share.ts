/**
 * The link to a run: the scenario's text, its file name and the seed in the URL's fragment
 * (`#run=…`, base64url of JSON), so a colleague who opens it sees the same scenario and, with Run,
 * the same numbers. The fragment never reaches a server.
 */
export interface SharedRun {
  readonly file: string;
  readonly text: string;
  readonly seed: number | undefined;
}

export function encodeRun(run: SharedRun): string {
  const bytes = new TextEncoder().encode(JSON.stringify(run));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `run=${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** The run in a fragment (with or without its `#`), or undefined if it holds none or a damaged one. */
export function decodeRun(fragment: string): SharedRun | undefined {
  const match = /^#?run=([A-Za-z0-9_-]*)$/.exec(fragment);
  if (match === null) return undefined;
  try {
    const binary = atob(match[1]!.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== "object" || value === null) return undefined;
    const { file, text, seed } = value as Record<string, unknown>;
    if (typeof file !== "string" || typeof text !== "string") return undefined;
    if (seed !== undefined && (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0))
      return undefined;
    return { file, text, seed: seed as number | undefined };
  } catch {
    return undefined;
  }
}
