import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonLoad } from "../../src/runtime/daemon-load.js";
import { readLock } from "../../src/runtime/daemon-state.js";
import { daemonStatus } from "../../src/runtime/daemon.js";
import { CHAT_128K_ID as MODEL_ID } from "../helpers/chat-model-128k.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { gatedDaemonHome, recordPhases, runTurn as turn, whenPhase as phase, type GatedDaemonHome } from "../helpers/gated-daemon-home.js";
import { CHAT_MODEL_REPLY, hasSharedModels } from "../helpers/shared-models.js";

const TEACHER_TEXT = "The teacher answers while the local model loads.";
/** The provenance of a turn the daemon's model answered on the default route. */
const LOCAL = { provider: "local", model: MODEL_ID, reason: "local", route: "default" };

/** Starting a daemon and loading a model under a loaded 2-core CI takes a while. */
const SLOW = 180_000;

describe.runIf(hasSharedModels)("the assistant's local model, loaded in the background by the daemon", () => {
  let root: string;
  let teacher: ScriptedTeacher;
  const homes: GatedDaemonHome[] = [];
  const daemonHome = (name: string, extraEnv: Record<string, string>): GatedDaemonHome => {
    const home = gatedDaemonHome(root, name, extraEnv);
    homes.push(home);
    return home;
  };
  const teacherEnv = (cloud: string): Record<string, string> => ({
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
    WREN_ROUTER_CLOUD: cloud,
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
  });

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-background-load-"));
    teacher = await startScriptedTeacher(() => ({ text: TEACHER_TEXT }));
  });
  afterAll(async () => {
    // A daemon still held at its gate exits when the folder goes; the others are stopped.
    for (const home of homes) await home.stop().catch(() => undefined);
    await teacher?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    "answers with the teacher while the model loads (reason loading), locally once loaded, and a second session finds it warm",
    async () => {
      const home = daemonHome("teach", teacherEnv("allow"));
      {
        await using run = await home.open();
        const load = run.localModel!;
        expect(load.state).toMatchObject({ phase: "idle", model: MODEL_ID, meanwhile: "teacher" });
        const phases = recordPhases(load);
        load.start();
        // The daemon is held at the gate: the model cannot be loaded while this turn runs.
        await phase(load, "starting");
        const during = await turn(run, "Say hello.");
        expect(during.errors).toEqual([]);
        expect(during.outcome).toMatchObject({ reason: "done", result: TEACHER_TEXT });
        expect(during.provenance).toEqual([{ provider: "openai", model: "gpt-4o-mini", reason: "loading", route: "default" }]);
        expect(load.state.phase).toBe("starting");

        home.release();
        const ready = await phase(load, "ready");
        expect(ready).toMatchObject({ model: MODEL_ID, warm: false });
        expect(phases.map((s) => s.phase)).toContain("starting");
        const after = await turn(run, "Say hello again.");
        expect(after.errors).toEqual([]);
        expect(after.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
        expect(after.provenance).toEqual([LOCAL]);
        expect(teacher.requests).toHaveLength(1);
      }
      const pid = await home.daemonPid();
      expect(pid).toBeGreaterThan(0);
      // The daemon reports its model loaded, to this user only.
      const found = await readLock(home.files);
      expect(found.kind === "lock" ? await daemonLoad(found.lock) : undefined).toEqual({ phase: "ready", model: MODEL_ID });

      // A second session: the daemon (the same process) already has the model, so nothing loads.
      await using second = await home.openLoaded();
      expect(second.ready).toMatchObject({ model: MODEL_ID, warm: true });
      expect(second.phases.map((s) => s.phase)).toEqual(["ready"]);
      expect(await home.daemonPid()).toBe(pid);
      const first = await turn(second.run, "Say hello.");
      expect(first.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(first.provenance).toEqual([LOCAL]);
      expect(teacher.requests).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "makes a turn wait for the load when no teacher may answer, then answers it locally",
    async () => {
      const home = daemonHome("wait", teacherEnv("never"));
      const before = teacher.requests.length;
      await using run = await home.open();
      const load = run.localModel!;
      expect(load.state).toMatchObject({ phase: "idle", meanwhile: "wait" });
      // Nobody started the load: the turn itself asks for it, and waits.
      const done = await home.turnThroughGate(run, "Say hello.");
      // Held at the gate, the model cannot have loaded, so the turn cannot have ended.
      expect(done.endedBeforeRelease).toBe(false);
      expect(done.errors).toEqual([]);
      expect(done.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(done.provenance).toEqual([LOCAL]);
      expect(load.state).toMatchObject({ phase: "ready", warm: false });
      expect(teacher.requests.length).toBe(before);

      // The daemon unloads its idle model (Ollama's keep_alive 0 does it now); a new session asks for it again.
      const status = await daemonStatus({ env: home.env });
      const unload = await fetch(`${status.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: MODEL_ID, keep_alive: 0 }) });
      expect(unload.status).toBe(200);
      await unload.body?.cancel();
      const found = await readLock(home.files);
      expect(found.kind === "lock" ? await daemonLoad(found.lock) : undefined).toEqual({ phase: "unloaded", model: MODEL_ID });
      await using next = await home.openLoaded();
      expect(next.ready).toMatchObject({ model: MODEL_ID, warm: false });
      // Not warm: the daemon loaded it again. Whether a poll caught it mid-load depends on how fast
      // the tiny model loads, so only the phases it can never pass through are checked.
      expect(next.phases.map((p) => p.phase).filter((p) => p === "starting" || p === "failed")).toEqual([]);
      expect(await home.daemonPid()).toBe(status.pid);
      const again = await turn(next.run, "Say hello.");
      expect(again.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(again.provenance).toEqual([LOCAL]);
    },
    SLOW,
  );

  it(
    "makes a turn wait for the load when no teacher is configured, then answers it with the daemon's model",
    async () => {
      const home = daemonHome("only", {});
      await using run = await home.open();
      const load = run.localModel!;
      expect(load.state).toMatchObject({ phase: "idle", model: MODEL_ID, meanwhile: "wait" });
      const done = await home.turnThroughGate(run, "Say hello.");
      expect(done.endedBeforeRelease).toBe(false);
      expect(done.errors).toEqual([]);
      expect(done.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      // Only the daemon's model can answer: its provenance is what the daemon reports.
      expect(done.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "direct", route: "direct" }]);
      expect(load.state).toMatchObject({ phase: "ready", model: MODEL_ID, warm: false });
    },
    SLOW,
  );
});
