import { readFile, rm } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { serializeError, WrenError, type ErrorCode } from "../shared/errors.js";
import type { DaemonFiles } from "./daemon-state.js";

/**
 * What a daemon was doing when its start failed: resolving or loading the models it was asked to
 * serve (`models`), or anything else (`setup`: its configuration, its lock, its engine, listening).
 */
export type DaemonStartPhase = "setup" | "models";

const reportSchema = z.object({
  pid: z.number().int(),
  phase: z.enum(["setup", "models"]),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});

/**
 * Failures of a model the user named that the daemon's starter shows as they are, as wren shows
 * them without the daemon: no such model, a file that is no model, a reference that does not parse,
 * a model too large for this machine (what fits, and the context or model to use instead), one
 * llama.cpp could not load (its reason). Each says all there is: the daemon's log holds the same
 * lines (llama.cpp's own only under WREN_DEBUG). A port in use, a failure outside its models (its
 * configuration, its engine's backend) or a crash stay the daemon's, shown with its log.
 */
const THE_USERS_MODEL: ReadonlySet<string> = new Set<ErrorCode>(["model_not_found", "model_invalid", "bad_request", "model_too_large", "model_load_failed"]);
const usersModel = (code: string): code is ErrorCode => THE_USERS_MODEL.has(code);

/** The daemon, before it exits on a failed start: says why, for the command that started it. */
export async function writeStartError(files: DaemonFiles, phase: DaemonStartPhase, error: unknown): Promise<void> {
  const { code, message, hint } = serializeError(error);
  const report = { pid: process.pid, phase, error: { code, message, ...(hint === undefined ? {} : { hint }) } };
  await writeFileAtomic(files.startError, `${JSON.stringify(report)}\n`).catch(() => undefined);
}

/**
 * What the daemon of process `pid` reported of its failed start, as the error to show in place of
 * the daemon's (see {@link THE_USERS_MODEL}); undefined when it reported none, or another kind. The
 * report is removed once read; another daemon's (a start racing this one) is left to its starter.
 */
export async function takeStartError(files: DaemonFiles, pid: number | undefined, exitError: WrenError): Promise<WrenError | undefined> {
  const text = await readFile(files.startError, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = reportSchema.safeParse(json);
  if (parsed.success && parsed.data.pid !== pid) return undefined;
  await rm(files.startError, { force: true });
  if (!parsed.success || parsed.data.phase !== "models") return undefined;
  const { code, message, hint } = parsed.data.error;
  if (!usersModel(code)) return undefined;
  // The daemon's own error stays its cause: it says the daemon exited, and with what status.
  return new WrenError(code, message, { ...(hint === undefined ? {} : { hint }), cause: exitError });
}
