import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

/**
 * Runs `script` (a TypeScript module; import sources by absolute path) in a child process under a
 * real file-size limit of `kib` KiB (`ulimit -f`), a failure an open transcript meets for real
 * without root: past the limit a write is cut short, then refused with EFBIG (SIGXFSZ ignored), as
 * on a disk that fills up. The script is written to `dir/child.mts`; it reports by printing one
 * JSON value to stdout, which is returned parsed. A child that writes to stderr fails the test.
 */
export function runUnderFileSizeLimit(options: { dir: string; kib: number; script: string; timeoutMs: number }): unknown {
  const file = path.join(options.dir, "child.mts");
  writeFileSync(file, `process.on("SIGXFSZ", () => undefined);\n${options.script}`);
  const run = spawnSync("bash", ["-c", `ulimit -f ${options.kib} && exec "${tsx}" "${file}"`], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: options.timeoutMs });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as unknown;
}
