/** What the start-up benchmarks run: wren as users run it, and how a figure meets its target. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../test/helpers/shared-models.js";

/** The `wren` command as npm installs it: package.json's bin (the CommonJS launcher, then the bundle). */
export function publishedCli(): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { bin: { wren: string } };
  return path.join(projectRoot, pkg.bin.wren);
}

/** `PASS` or `MISS`, printed after a figure that has a target, so a run shows at a glance which were met. */
export function verdict(met: boolean): string {
  return met ? "PASS" : "MISS";
}
