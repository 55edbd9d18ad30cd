/** Types of build-playground.mjs, for the TypeScript that imports it (cli/commands/playground.ts, tests). */
export const defaultOutDir: string;
export function buildPlayground(
  outDir?: string,
): Promise<{ sizes: Record<string, number>; metafile: unknown }>;
