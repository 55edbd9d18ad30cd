import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referencePath, renderScenarioReference } from "../../scripts/scenario-docs.ts";
import { problemKinds, scenarioFields, scheduleKinds, topologyKinds } from "../../sim/scenario/reference.ts";
import { devicePresetRegistry } from "../../sim/scenario/registry/device-presets.ts";
import { networkPresetRegistry } from "../../sim/scenario/registry/network-presets.ts";

describe("docs/scenario-reference.md", () => {
  const generated = renderScenarioReference();

  it("is what scripts/scenario-docs.ts writes (run `npm run docs` after changing the schema)", () => {
    const committed = readFileSync(referencePath, "utf8");
    if (committed !== generated) {
      const a = committed.split("\n");
      const b = generated.split("\n");
      const line = a.findIndex((text, i) => text !== b[i]);
      expect.fail(
        `docs/scenario-reference.md is out of date (first difference at line ${line + 1}: ` +
          `${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}): run npm run docs`,
      );
    }
  });

  it("has a row for every field, a section for every kind, every preset", () => {
    for (const field of scenarioFields()) expect(generated).toContain(`| \`${field.path}\` |`);
    for (const kind of [...scheduleKinds(), ...problemKinds(), ...topologyKinds()]) {
      expect(generated).toMatch(new RegExp(`^#{3,4} \`${kind.kind}\`$`, "m"));
    }
    for (const kind of scheduleKinds()) {
      for (const field of kind.fields) expect(generated).toContain(`| \`schedule.${field.path}\` |`);
    }
    for (const name of [...devicePresetRegistry.kinds(), ...networkPresetRegistry.kinds()])
      expect(generated).toContain(`| \`${name}\` |`);
  });
});
