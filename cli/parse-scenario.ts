import { parseDocument } from "yaml";
import { FileSyntaxError } from "./user-errors.ts";

/**
 * A scenario's text (YAML or JSON) as a raw value, `file` naming it in a syntax error. No file system
 * here: the playground parses what its editor holds with this same function, so that its messages
 * read as `dtsim check`'s.
 */
export function parseScenarioText(text: string, file: string): unknown {
  // logLevel "error": YAML warnings (an unknown tag, say) must not print behind our back.
  const doc = parseDocument(text, { uniqueKeys: true, logLevel: "error", prettyErrors: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    const { line, col } = first.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new FileSyntaxError(file, line, col, reason);
  }
  return doc.toJS() ?? {};
}
