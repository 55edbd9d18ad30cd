/** The shipped scenario files (scenarios/**\/*.yaml), put in the bundle by scripts/build-playground.mjs. */
declare module "dtsim:shipped-scenarios" {
  const scenarios: ReadonlyArray<{ readonly file: string; readonly text: string }>;
  export default scenarios;
}
