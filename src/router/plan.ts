import { evaluateCondition, reasonForCondition, type ConditionContext } from "./conditions.js";
import type { Candidate, RouteNode } from "./route.js";

/**
 * Flattens a route tree into the ordered targets to try for this request. Each node kind is one
 * strategy; `target` is the terminal one. A target appears once, at its first position.
 */
export async function planRoute(
  node: RouteNode,
  ctx: ConditionContext,
  random: () => number = Math.random,
  reason = "primary",
  onStatus?: number[],
): Promise<Candidate[]> {
  const out = await expand(node, ctx, random, reason, onStatus);
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(c.target) ? false : (seen.add(c.target), true)));
}

async function expand(
  node: RouteNode,
  ctx: ConditionContext,
  random: () => number,
  reason: string,
  onStatus: number[] | undefined,
): Promise<Candidate[]> {
  switch (node.type) {
    case "target":
      return [{ target: node.target, reason: node.reason ?? reason, onStatus }];
    case "fallback": {
      const out: Candidate[] = [];
      for (const [i, child] of node.targets.entries()) {
        out.push(...(await expand(child, ctx, random, i === 0 ? reason : "fallback", node.onStatus ?? onStatus)));
      }
      return out;
    }
    case "loadbalance": {
      const pool = node.targets.filter((t) => t.weight > 0);
      const ordered: RouteNode[] = [];
      while (pool.length) {
        const total = pool.reduce((sum, t) => sum + t.weight, 0);
        let pick = random() * total;
        let index = pool.findIndex((t) => (pick -= t.weight) < 0);
        if (index < 0) index = pool.length - 1;
        ordered.push(pool[index]!.node);
        pool.splice(index, 1);
      }
      const out: Candidate[] = [];
      for (const [i, child] of ordered.entries()) {
        out.push(...(await expand(child, ctx, random, i === 0 ? "weighted" : "fallback", onStatus)));
      }
      return out;
    }
    case "conditional":
      for (const branch of node.branches) {
        if (await evaluateCondition(branch.when, ctx)) {
          return expand(branch.then, ctx, random, branch.reason ?? reasonForCondition(branch.when), onStatus);
        }
      }
      return node.otherwise ? expand(node.otherwise, ctx, random, reason, onStatus) : [];
  }
}

/**
 * The plan of a route that is the same for every request (targets and fallbacks only: no weighted
 * pick, no condition), or undefined when the route has a node that decides per request. The router
 * works it out once per route instead of once per request.
 */
export function fixedPlan(node: RouteNode, reason = "primary", onStatus?: number[]): Candidate[] | undefined {
  const out: Candidate[] = [];
  const walk = (n: RouteNode, why: string, statuses: number[] | undefined): boolean => {
    if (n.type === "target") {
      out.push({ target: n.target, reason: n.reason ?? why, onStatus: statuses });
      return true;
    }
    if (n.type !== "fallback") return false;
    return n.targets.every((child, i) => walk(child, i === 0 ? why : "fallback", n.onStatus ?? statuses));
  };
  if (!walk(node, reason, onStatus)) return undefined;
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(c.target) ? false : (seen.add(c.target), true)));
}
