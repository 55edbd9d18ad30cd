import { vi } from "vitest";
import { checkFiles } from "../../cli/commands/check.ts";

export interface CommandOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` in this process with process.stdout and process.stderr captured. */
export async function captured(command: () => Promise<number>): Promise<CommandOutcome> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await command();
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** `dtsim check FILE [--set …]` in this process: the command's own function, its output captured. */
export function checkInProcess(file: string, set: ReadonlyArray<string> = []): Promise<CommandOutcome> {
  return captured(() => checkFiles([file], set));
}
