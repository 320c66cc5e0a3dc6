import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "./fake-upstreams/scripted-teacher.js";
import { KEYS, startWrenPty, type PtySession } from "./pty-terminal.js";
import { teacherEnv } from "./teacher-env.js";

/** A user home and a project folder for one `wren` terminal session. */
export interface TuiPlace {
  home: string;
  project: string;
}

export interface TuiPlaceOptions {
  /** Folders made in the project besides `.git` (e.g. `src`). Default none. */
  folders?: string[];
  /** Files written in the project, by path relative to it (their folders must be in `folders`). Default none. */
  files?: Record<string, string>;
}

export interface TuiOpenOptions {
  /** After `--model openai:gpt-4o-mini`. Default none. */
  args?: string[];
  /** On top of the teacher's environment. Default none. */
  env?: Record<string, string>;
}

/**
 * A temporary folder for terminal UI tests against scripted teachers: the places, teachers and
 * sessions made through it are ended, and the folder removed, when it is disposed.
 */
export interface TuiWorkspace extends AsyncDisposable {
  readonly root: string;
  /** A home and a project (a git repository: `.git` made) under `root/name`, or under `root` itself without a name. */
  place(name?: string, options?: TuiPlaceOptions): TuiPlace;
  /** A scripted teacher, closed with the workspace. */
  teacher(script: TeacherScript): Promise<ScriptedTeacher>;
  /** `wren --model openai:gpt-4o-mini ARGS` in a pseudo-terminal in `where.project`, answered by `teacher`; resolves at its prompt. */
  open(teacher: ScriptedTeacher, where: TuiPlace, options?: TuiOpenOptions): Promise<PtySession>;
  /** A session started some other way, ended with the workspace. */
  track(pty: PtySession): PtySession;
}

/** Makes a {@link TuiWorkspace} in a fresh temporary folder named from `prefix`. */
export function tuiWorkspace(prefix: string): TuiWorkspace {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const teachers: ScriptedTeacher[] = [];
  const sessions: PtySession[] = [];
  const track = (pty: PtySession): PtySession => {
    sessions.push(pty);
    return pty;
  };
  return {
    root,
    place(name, options = {}) {
      const base = name === undefined ? root : path.join(root, name);
      const home = path.join(base, "home");
      const project = path.join(base, "project");
      mkdirSync(home, { recursive: true });
      for (const folder of [".git", ...(options.folders ?? [])]) mkdirSync(path.join(project, folder), { recursive: true });
      for (const [file, text] of Object.entries(options.files ?? {})) writeFileSync(path.join(project, file), text);
      return { home, project };
    },
    async teacher(script) {
      const t = await startScriptedTeacher(script);
      teachers.push(t);
      return t;
    },
    async open(teacher, where, options = {}) {
      // The project's suggestions come from its own files, never from a repository the temp folder may be in.
      const env = { ...teacherEnv(where.home, teacher.url), GIT_CEILING_DIRECTORIES: root, ...options.env };
      const pty = track(startWrenPty(["--model", "openai:gpt-4o-mini", ...(options.args ?? [])], { cwd: where.project, env }));
      await pty.waitFor("no turn yet");
      return pty;
    },
    track,
    async [Symbol.asyncDispose]() {
      for (const s of sessions) await s[Symbol.asyncDispose]();
      for (const t of teachers) await t.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Types `text`, waits until the prompt box shows it (`shown`, default `> text`), and sends it. */
export async function sendPrompt(pty: PtySession, text: string, shown: string | RegExp = `> ${text}`): Promise<void> {
  pty.type(text);
  await pty.waitFor(shown, { visible: true });
  pty.type(KEYS.enter);
}

/** Sends `/quit` (through `send`, default {@link sendPrompt}) and expects the session to exit with 0. */
export async function quitSession(pty: PtySession, send: (pty: PtySession, text: string) => Promise<void> = sendPrompt): Promise<void> {
  await send(pty, "/quit");
  expect(await pty.exited).toBe(0);
}
