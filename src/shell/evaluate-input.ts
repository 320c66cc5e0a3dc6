import path from "node:path";
import type { Cmd, Word } from "./ir.js";
import { RUN_TIME, keepsName, literalWord } from "./ir.js";
import { clientCode, DATABASE_CLIENTS } from "./database-clients.js";
import { asUtf8, pipelineOutput, substitutionOutput, textsOf } from "./decode.js";
import { cmdDownloads, commandName, wasDownloaded, wordDownloads } from "./downloads.js";
import { codeOf, downloadRce, hidden, runsDefined, unresolved, type Ctx } from "./evaluate-context.js";
import { CODE_OPTIONS, HOME_MARK, inlineActions, type InlineLanguage } from "./inline-code.js";
import { judgeStatements } from "./sql.js";
import type { Finding } from "./types.js";

/**
 * Text that other programs run: what a shell or interpreter reads on standard input, inline code
 * of python, perl, ruby, node, php and lua, statements given to database clients, and commands run
 * inside containers.
 */

/**
 * Runs what an interpreter would read on standard input: a here-document, a here-string, or what
 * the pipeline before it writes. `run` reads the text; without it the text is code wren cannot read.
 */
export function checkStdin(runner: string, cmd: Cmd, upstream: Cmd[], ctx: Ctx, run?: (text: string) => void): void {
  const powershell = ctx.shell === "powershell";
  const from = stdinFile(cmd);
  if (from && wasDownloaded(from, ctx.downloaded, ctx.paths.cwd)) {
    downloadRce(ctx, runner);
    return;
  }
  // `sh < <(…)` reads what the substitution writes, as a here-string would give it.
  const stdinText = cmd.stdinText ?? (from?.processSub ? { ...from, processSub: false } : undefined);
  if (stdinText) {
    if (wordDownloads(stdinText, powershell)) downloadRce(ctx, runner);
    else if (!stdinText.dynamic && run) run(stdinText.text);
    else if (stdinText.dynamic) {
      const produced = runsDefined(stdinText, ctx) ? undefined : substitutionOutput(stdinText, powershell, ctx.shell);
      if (produced?.text !== undefined && run) {
        if (produced.decoded) hidden(ctx);
        for (const text of textsOf(produced)) run(asUtf8(text));
        if (produced.partlyUnknown) unresolved(ctx, `${runner} runs text only known at run time where the shell's echo writes otherwise`);
      } else unresolved(ctx, `${runner} runs text only known at run time`);
    } else ctx.findings.push({ category: "remote code execution", risk: "moderate", detail: `runs inline code with ${runner} that wren does not analyse` });
    return;
  }
  if (upstream.length === 0) return;
  if (upstream.some((c) => cmdDownloads(c, powershell))) {
    downloadRce(ctx, runner);
    return;
  }
  if (run && upstream.some((c) => NETWORK_READERS.has(commandName(c.argv[0]?.dynamic ? "" : (c.argv[0]?.text ?? ""), powershell)) || readsSocket(c))) {
    ctx.findings.push(reverseShellFinding(runner));
    return;
  }
  const produced = runsDefined(upstream, ctx) ? { decoded: false } : pipelineOutput(upstream, powershell, ctx.shell);
  if (produced.text !== undefined) {
    if (produced.decoded) hidden(ctx);
    if (produced.partlyUnknown) unresolved(ctx, `${runner} runs ${produced.decoded ? "decoded text that wren cannot decode" : "text only known at run time"} where the shell's echo writes otherwise`);
    if (run) for (const text of textsOf(produced)) run(asUtf8(text));
    else ctx.findings.push({ category: "remote code execution", risk: "moderate", detail: `runs inline code with ${runner} that wren does not analyse` });
    return;
  }
  unresolved(ctx, produced.decoded ? `${runner} runs decoded text that wren cannot decode` : `pipes text that wren cannot see into ${runner}`);
}

/** A shell (or interpreter) that runs what a network peer sends it: `nc host port | sh`, or inline code that connects and starts `/bin/sh -i`. */
export function reverseShellFinding(shell: string): Finding {
  return { category: "network exposure", risk: "critical", detail: `runs commands received over the network with ${shell} (a reverse shell)` };
}

/** True when something is fed to the command's standard input: a pipe, a here-string or document, a `<` redirection. */
export function stdinFed(cmd: Cmd, upstream: readonly Cmd[]): boolean {
  return cmd.stdinText !== undefined || upstream.length > 0 || stdinFile(cmd) !== undefined;
}

/**
 * The file or socket a command's standard input is opened on by its redirections, followed as bash
 * opens them in order: `< F` and `<> F` (descriptor 0 unless another is written), and `0<&N` or
 * `0>&N` onto a descriptor opened before (`sh -i 5<>/dev/tcp/h/p 0<&5`).
 */
export function stdinFile(cmd: Cmd): Word | undefined {
  const open = new Map<number, Word>();
  for (const r of cmd.redirects) {
    const fd = r.fd ?? (r.op.startsWith("<") ? 0 : 1);
    if (r.op === "<" || r.op === "<>") open.set(fd, r.target);
    else if ((r.op === "<&" || r.op === ">&") && !r.target.dynamic && /^\d+$/.test(r.target.text)) {
      const number = Number(r.target.text);
      const source = open.get(number);
      // A descriptor the command did not open itself was opened before it (`exec 3< x; bash <&3`).
      if (source) open.set(fd, source);
      else if (number > 2) open.set(fd, literalWord(`/dev/fd/${number}`));
      else open.delete(fd);
    } else if (r.op.includes(">") && fd === 0) open.delete(0);
  }
  return open.get(0);
}

/**
 * Paths that name standard input: /dev/stdin, /dev/fd/0, and fd 0 of a process under /proc, its
 * own or one given by number or at run time (`/proc/$$/fd/0`), or one of its threads.
 */
const STDIN_PATH = /^\/(?:dev\/(?:stdin|fd\/0)|proc\/(?:self|thread-self|\d+|\$)(?:\/task\/(?:\d+|\$))?\/fd\/0)$/;

/** True when a script operand is standard input (`bash /dev/stdin`, `source /proc/self/fd/0`, `python3 -`). */
export function isStdinPath(word: Word | undefined): boolean {
  if (word === undefined) return false;
  if (word.text === "-") return !word.dynamic;
  // What is known only at run time (`$` in the pattern) may stand for a process or thread number alone.
  return STDIN_PATH.test(path.posix.normalize(word.text.replaceAll(RUN_TIME, "$")));
}

/** `cat /dev/tcp/h/p`, `cat < /dev/udp/h/p`: bash opens a socket for these paths, so what follows reads the network. */
function readsSocket(cmd: Cmd): boolean {
  const socket = (w: Word): boolean => !w.dynamic && /^\/dev\/(tcp|udp)\//.test(w.text);
  return cmd.argv.slice(1).some(socket) || cmd.redirects.some((r) => r.op.includes("<") && socket(r.target));
}

/** Programs whose output is whatever a remote peer sends. */
const NETWORK_READERS: ReadonlySet<string> = new Set(["nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat", "telnet", "openssl", "websocat", "cryptcat"]);

/**
 * Judges what inline code of another interpreter does, its literal arguments analysed like shell
 * commands. `cmd`, the interpreter's command, tells whether the line gave it another HOME.
 */
export function runInline(language: InlineLanguage, runner: string, code: string, ctx: Ctx, cmd?: Cmd): void {
  // The code's own name of the home folder (`os.homedir()`, `$ENV{HOME}`) is the user's home, as `~` is,
  // unless the line changed HOME for it (`HOME=/ node -e …`, `export HOME=…`, `env -i`, a container).
  const homeChanged =
    ctx.homeFromVars === true || ctx.vars.has("HOME") || (cmd !== undefined && ((cmd.env ?? []).some((a) => a.name === "HOME" && a.home !== true) || !keepsName(cmd.envKept, "HOME")));
  const word = (text: string): Word =>
    !text.startsWith(HOME_MARK) ? literalWord(text) : homeChanged ? { text: `${RUN_TIME}${text.slice(1)}`, dynamic: true, glob: false, subs: [] } : literalWord(ctx.paths.home + text.slice(1));
  for (const action of inlineActions(language, code)) {
    const path = "path" in action && action.path !== undefined ? word(action.path) : { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
    switch (action.kind) {
      case "shell":
        if (action.command === undefined) unresolved(ctx, `${runner} code runs a command built at run time`);
        else ctx.ops.nested(ctx, action.command, "sh");
        break;
      case "argv": {
        const argv = action.argv.map(word);
        ctx.ops.runArgv(argv, { kind: "cmd", argv, redirects: [] }, [], ctx);
        break;
      }
      case "remove-tree":
        ctx.ops.applyRules({ name: "rm", args: [literalWord("-rf"), path], powershell: false }, ctx);
        break;
      case "remove-file":
        ctx.ops.applyRules({ name: "rm", args: [literalWord("-f"), path], powershell: false }, ctx);
        break;
      case "chmod-tree":
        ctx.ops.applyRules({ name: "chmod", args: [literalWord("-R"), literalWord(action.mode ?? RUN_TIME), path], powershell: false }, ctx);
        break;
      case "write":
        ctx.ops.checkRedirect(">", path, ctx);
        break;
      case "dynamic-code":
        unresolved(ctx, `${runner} code evaluates code only known at run time`);
        break;
      case "downloaded-code":
        ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `downloads code and runs it with ${runner}` });
        break;
      case "fork-loop":
        ctx.findings.push({ category: "resource exhaustion", risk: "critical", detail: `${runner} code starts copies of itself in an endless loop (fork bomb)` });
        break;
      case "reverse-shell":
        ctx.findings.push(reverseShellFinding(action.shell));
        break;
    }
  }
}

/** Judges the statements given to a database client, in its arguments or on its standard input. */
export function runDatabaseClient(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const client = DATABASE_CLIENTS[name];
  if (!client) return;
  const judge = (text: string): void => {
    ctx.findings.push(...judgeStatements(text, client.language));
  };
  const code = clientCode(client, name, args, ctx.shell === "powershell");
  if (!code) {
    if (cmd.stdinText || upstream.length > 0) checkStdin(name, cmd, upstream, ctx, judge);
    return;
  }
  const produced = codeOf(code.words, ctx);
  if (produced.text !== undefined) judge(produced.text);
  else ctx.findings.push({ category: "data loss", risk: "moderate", detail: `${name} runs statements only known at run time` });
}

/** Where the option that takes inline code is (`-c`, `-e`, perl's `-ne`, `deno eval`), or -1. */
export function codeArgument(name: string, language: InlineLanguage | undefined, args: readonly Word[]): number {
  const options = language ? CODE_OPTIONS[language] : ["-c", "-e", "--eval"];
  return args.findIndex((w, i) => {
    if (w.dynamic) return false;
    if (options.includes(w.text)) return true;
    if ((language === "perl" || language === "ruby") && /^-[a-zA-Z]*[eE]$/.test(w.text)) return true;
    return name === "deno" && i === 0 && w.text === "eval";
  });
}
