import type { ReplicaSnapshot } from "./replica.js";

const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus lines for every pool's replicas: requests outstanding now and health (1 admitted, 0 ejected). */
export function poolMetricsText(pools: Array<{ pool: string; replicas: ReplicaSnapshot[] }>): string {
  if (pools.length === 0) return "";
  let outstanding = "# HELP wren_pool_replica_outstanding Requests a pool's replica is answering now.\n# TYPE wren_pool_replica_outstanding gauge\n";
  let healthy = "# HELP wren_pool_replica_healthy 1 while a pool's replica is admitted, 0 while its health checks have it ejected.\n# TYPE wren_pool_replica_healthy gauge\n";
  for (const { pool, replicas } of pools) {
    for (const r of replicas) {
      const labels = `{pool="${label(pool)}",replica="${label(r.url)}"}`;
      outstanding += `wren_pool_replica_outstanding${labels} ${r.outstanding}\n`;
      healthy += `wren_pool_replica_healthy${labels} ${r.healthy ? 1 : 0}\n`;
    }
  }
  return outstanding + healthy;
}
