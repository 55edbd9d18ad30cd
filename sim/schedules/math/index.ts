/** Pure math of the gossip schedules (DADAO, A²CiD², pairwise gossip): no engine, no processes. */
export * from "./a2cid2.ts";
export * from "./dadao.ts";
export * from "./expm.ts";
export * from "./gossip.ts";
export * from "./symmetric-eigen.ts";
