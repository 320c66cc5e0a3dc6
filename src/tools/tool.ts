import type { z } from "zod";
import type { JsonSchema } from "../protocol/messages.js";
import type { PermissionRequest } from "../permissions/types.js";
import type { FileReadLedger } from "./file-ledger.js";
import type { SessionShell } from "./session-shell.js";

/** What a tool call may use. The agent builds one per call; tools hold no state of their own. */
export interface ToolContext {
  /** The project directory (the repository root, or where the session started). */
  projectRoot: string;
  /** The session's working directory now (Bash `cd` moves it; relative paths resolve against it). */
  cwd(): string;
  /** Fires when the user cancels the turn: stop at once and free what was taken. */
  signal: AbortSignal;
  /**
   * The session's persistent shell (`createSessionShell`): Bash runs in it, so `cd` and `export`
   * last between calls. Give `cwd` as `() => shell.cwd()` so the other tools follow it. Without
   * one, Bash runs each command in a fresh shell started in `cwd()`.
   */
  shell?: SessionShell;
  /**
   * The files read in this session and when. With one, Edit and Write refuse to change an existing
   * file the model has not read, or that changed on disk since it read it. Without one, no check.
   */
  files?: FileReadLedger;
  /**
   * Puts AskUser's questions to the user and resolves with the answers. Absent when no one can
   * answer (a non-interactive run): AskUser then returns an error result saying so.
   */
  ask?: AskUserFn;
  /**
   * Whether the permission rules deny `tool` (`Grep`, `Glob`) this one file, given as an absolute
   * path (the agent fills it from its permission gate's rules). A search of a whole folder is allowed
   * as one call, so it asks this of every file it finds and leaves the denied ones out of its results
   * (saying how many, never which). Without it, nothing is left out.
   */
  isDenied?: (tool: string, file: string) => boolean;
  /**
   * Whether an allow rule the user wrote (a settings file's or a flag's; not an answer for once or
   * the session) names `host` exactly for `tool` (`WebFetch(domain:wiki.corp.example.com)`), with no
   * deny rule reaching it; the agent fills it from its permission gate's rules, read at each call.
   * WebFetch lets only such a host, named as public, resolve to a private network address (an
   * intranet name under split-horizon DNS). Without it, no host.
   */
  exactHostRule?: (tool: string, host: string) => boolean;
  /**
   * Folders this call must leave as they were (the permission decision's `guard`: wren's own
   * settings, for a command that rewrites the git work tree). Bash copies them before it runs the
   * command and puts back whatever it changed there, saying so; it refuses to run when it cannot copy them.
   */
  guard?: readonly string[];
  /**
   * What of the session shell's exports this call was judged with (the permission decision's
   * `judgedExports`: variables that change what runs, by name, each with its entry). The calls of
   * one answer are all judged before the first runs: Bash refuses to run a command when an earlier
   * call has since changed them. Without it (a call run without a judgement), no check.
   */
  judgedExports?: Readonly<Record<string, string>>;
  /**
   * Variables that change what runs which a person approved this call setting (the verdict's
   * `approvedSets`). Bash makes what the command leaves them as the session shell's start for them
   * (see `ShellRunOptions.rebaseline`).
   */
  approvedSets?: readonly string[];
  /**
   * Where the call's paths really were when it was judged: each path named and, through symbolic
   * links, where it led (`approvedPlaces`). Read, Edit and Write refuse a path that leads elsewhere
   * by the time they run (a file swapped for a link while the user was asked). Without it, no check.
   */
  approvedPaths?: readonly string[];
}

/** One question AskUser puts to the user. The user may always answer in their own words instead. */
export interface AskUserQuestion {
  question: string;
  /** A very short label for the question (a chip or tab title), when the model gave one. */
  header?: string;
  /** 2–4 choices. */
  options: Array<{ label: string; description?: string }>;
  /** Whether more than one option may be picked. */
  multiSelect: boolean;
}

/** The user's answer to one question: the labels picked, and/or a free answer ("other"). */
export interface AskUserAnswer {
  selected: string[];
  other?: string;
}

/** Resolves with one answer per question, in order; rejects (or the signal fires) when the user cancels. */
export type AskUserFn = (questions: AskUserQuestion[], signal: AbortSignal) => Promise<AskUserAnswer[]>;

/**
 * A tool's answer. `llmContent` goes back to the model; `display` is what the user sees. A failure
 * is a result with `isError` (the model can correct itself), never a thrown error.
 */
export interface ToolResult {
  llmContent: string;
  display: string;
  isError: boolean;
  /** Structured data for the agent (a diff, the todo list, a plan), when the tool has some. */
  data?: unknown;
  /** What the user must be told beside the result: what wren undid of the call (`ToolContext.guard`). The agent shows it as a decision. */
  notice?: string;
}

export interface Tool<I = unknown> {
  /** The name models call it by: `Read`, `Edit`, `Bash`, `mcp__server__tool`. */
  name: string;
  description: string;
  /** The input schema: zod at the trust boundary; JSON Schema for the model comes from it. */
  parameters: z.ZodType<I>;
  /**
   * The JSON Schema models are given, when it is not derived from `parameters`: an MCP server's
   * own schema, passed on as the server wrote it (the server checks its arguments itself).
   */
  inputSchema?: JsonSchema;
  /** True when the tool never changes anything (so independent calls may run concurrently). */
  readOnly: boolean;
  /** How the permission system sees one call of it. */
  permission(input: I, ctx: ToolContext): PermissionRequest;
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
}
