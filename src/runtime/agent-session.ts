import path from "node:path";
import {
  buildSystemPrompt,
  environmentFacts,
  findInstructions,
  type EnvironmentFacts,
  findProjectRoot,
  lastSessionIn,
  Session,
  sessionsDir,
} from "../agent/index.js";
import type { PermissionMode } from "../permissions/types.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";

/** Which session a run works in. */
export interface SessionChoice {
  cwd: string;
  /** `--continue`: the last session started in `cwd`. */
  continueLast?: boolean;
  /** `--resume ID`. */
  resume?: string | undefined;
  /** For a new session: what the user asked for (`auto`, a route, `provider:model`). */
  model: string;
  /**
   * `--permission-mode`, when given; without it a new session starts in `defaultMode`, a resumed one
   * in its own mode, except bypass, which it leaves for `defaultMode`.
   */
  mode?: PermissionMode | undefined;
  /** The mode of a new session (or one resumed in bypass) when `mode` is not given (`agent.permissionMode`). Default `default`. */
  defaultMode?: PermissionMode;
  /** Tool names, recorded in a new session's header. */
  tools: string[];
  env?: Env;
  /**
   * A new session's environment facts (git status among them), started early by the caller so they
   * are gathered while other start-up work runs. Default: gathered here.
   */
  environment?: Promise<EnvironmentFacts> | undefined;
}

/**
 * Opens the session a run asked for: the one named by `--resume`, the last one of this directory
 * for `--continue`, or a new one whose system prompt (instructions and environment) is built now
 * and kept for its whole life.
 */
export async function openSession(choice: SessionChoice): Promise<Session> {
  const paths = resolvePaths(choice.env ?? process.env);
  const dir = sessionsDir(paths.stateDir);
  const cwd = path.resolve(choice.cwd);
  if (choice.resume !== undefined && choice.continueLast) {
    throw new WrenError("bad_request", "--continue and --resume name different sessions; give one of them.", { hint: "--continue picks the last session of this directory; --resume ID a given one." });
  }
  let session: Session | undefined;
  if (choice.resume !== undefined) {
    session = Session.open(dir, choice.resume);
  } else if (choice.continueLast) {
    const last = lastSessionIn(dir, cwd);
    if (!last) {
      throw new WrenError("not_found", `There is no session to continue in ${cwd}.`, { hint: "Start one without --continue, or pick one from `wren sessions list` with --resume ID." });
    }
    session = Session.open(dir, last.id);
  }
  if (session) {
    // Bypass is consent for the run whose command line gave it, not for every later run of the
    // session: resumed without the flag, such a session starts as a new one would.
    const mode = choice.mode ?? (session.mode === "bypass" ? (choice.defaultMode ?? "default") : session.mode);
    if (mode !== session.mode) {
      try {
        session.setMode(mode);
      } catch (error) {
        // Its transcript refused the change (a full disk): the run does not start, and the session
        // is left free for the next one.
        try {
          session[Symbol.dispose]();
        } catch {
          // The disk refuses its closing sync too: the error below says why.
        }
        throw error;
      }
    }
    return session;
  }
  const projectRoot = findProjectRoot(cwd);
  const system = buildSystemPrompt(await (choice.environment ?? environmentFacts(cwd)), findInstructions(cwd, projectRoot, paths.configDir));
  return Session.create({ dir, cwd, projectRoot, model: choice.model, mode: choice.mode ?? choice.defaultMode ?? "default", system, tools: choice.tools });
}
