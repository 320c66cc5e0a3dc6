export { PoolModel } from "./model.js";
export { PoolSet } from "./pool-set.js";
export { ReplicaPool, type ReplicaLease } from "./pool.js";
export type { PoolHealthOptions, PoolOptions } from "./options.js";
export type { ReplicaSnapshot } from "./replica.js";
export { poolMetricsText } from "./metrics-text.js";
