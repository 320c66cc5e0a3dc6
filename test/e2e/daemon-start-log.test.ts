import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDaemon, startDaemon } from "../../src/runtime/daemon.js";
import { exitCodeOf, type WrenError } from "../../src/shared/errors.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { cliPath } from "../helpers/cli.js";

/** A daemon that fails to start is explained by its own log lines, not an earlier daemon's. */
describe("wren daemon start failure", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-log-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("shows only this start's lines", async () => {
    // A failure of the daemon's own (a port in use: a model that is not there is said as without
    // the daemon, daemon-start-error.test.ts), proxying to a teacher so no model is needed.
    const env = { ...process.env, WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ROUTER_PROXY_ONLY: "1", WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini", OPENAI_API_KEY: "sk-test" };
    const files = daemonFiles(resolvePaths(env).stateDir);
    await mkdir(path.dirname(files.log), { recursive: true });
    const earlier = '{"level":30,"time":1,"pid":424242,"msg":"listening","url":"http://127.0.0.1:49999"}\nwren: serving earlier-model on http://127.0.0.1:49999\n';
    await writeFile(files.log, earlier);
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    const error = await startDaemon({ env, command: [process.execPath, cliPath], serveArgs: ["--port", String(port)], startTimeoutMs: 60_000 })
      .then(
        () => undefined,
        (e: unknown) => e as { message: string; hint?: string },
      )
      .finally(() => busy.close());
    expect(error?.message).toMatch(/exited during start-up/);
    expect(error?.hint).toContain(`Cannot listen on 127.0.0.1:${port}`);
    expect(error?.hint).not.toContain("424242");
    expect(error?.hint).not.toContain("earlier-model");
  });

  it("a daemon that exits saying what it lacks is started once, and the command exits with the daemon's own status", async () => {
    const env = { ...process.env, WREN_HOME: path.join(home, "once") };
    const starts = path.join(home, "starts.txt");
    // As `wren serve` exits when its default model cannot be fetched: 4, the network.
    const script = `require("node:fs").appendFileSync(${JSON.stringify(starts)}, "start\\n"); process.stderr.write("could not reach the Hub\\n"); process.exit(4)`;
    const error = await ensureDaemon({ env, command: [process.execPath, "-e", script], startTimeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e as WrenError,
    );
    expect(error?.message).toBe("The wren daemon exited during start-up (code 4).");
    expect(exitCodeOf(error!)).toBe(4);
    expect(error?.hint).toContain("could not reach the Hub");
    // The user ran `wren -p`, not `wren daemon start`.
    expect(error?.hint).toMatch(/Fix that, then try again\.$/);
    expect((await readFile(starts, "utf8")).trim().split("\n")).toEqual(["start"]);
  });
});
