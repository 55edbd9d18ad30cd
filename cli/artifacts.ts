import { type ArtifactWriter, type RunArtifacts, writeJson } from "./out-files.ts";
import { writeRunOutputs } from "./output/index.ts";
import { writeReport } from "./report/write-report.ts";

const writeResult: ArtifactWriter = ({ dir, json }) => writeJson(dir, "result.json", json);
const writeScenario: ArtifactWriter = ({ dir, raw }) => writeJson(dir, "scenario.json", raw);

/** Every writer of `--out DIR`, in order. A new output is one more writer here. */
export const artifactWriters: ArtifactWriter[] = [writeResult, writeScenario, writeRunOutputs, writeReport];

export async function writeArtifacts(artifacts: RunArtifacts): Promise<void> {
  for (const write of artifactWriters) await write(artifacts);
}
