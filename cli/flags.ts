import { Flag } from "effect/cli";

/**
 * The flags several commands share, declared once; each command words its own description.
 * Numbers (--seed) are read as strings and checked by the command, so that a bad one reads like
 * every other bad input (one line, exit 2) rather than as a parser error.
 */

/** `--set PATH=VALUE`, repeatable, applied in order. */
export const setFlag = (description: string) =>
  Flag.String("set").pipe(Flag.withMetavar("PATH=VALUE"), Flag.withDescription(description), Flag.atLeast(0));

/** `--seed N`, overriding the scenario's seed after any --set. */
export const seedFlag = () =>
  Flag.String("seed").pipe(
    Flag.withMetavar("N"),
    Flag.withDescription("Override the scenario's seed (after any --set)"),
    Flag.optional,
  );

/** `--json`: one JSON object on stdout instead of the summary. */
export const jsonFlag = (description: string) =>
  Flag.Boolean("json").pipe(Flag.withDescription(description), Flag.withDefault(false));

/** `--profile FILE`: a calibration profile (dtsim calibrate). */
export const profileFlag = (description: string) =>
  Flag.String("profile").pipe(Flag.withMetavar("FILE"), Flag.withDescription(description), Flag.optional);
