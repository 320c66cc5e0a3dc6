/** One stage of a PowerShell pipeline as a command: its words, redirections, `&`, dot-sourcing, script blocks and .NET calls. */
import type { Cmd, Redirect, Script, Unit, Word } from "./ir.js";
import { dotnetCall } from "./powershell-dotnet-calls.js";
import type { Token } from "./powershell-tokens.js";

/** Whether a token is a bare `.`, which dot-sources what follows it. */
export function isDot(t: Token | undefined): boolean {
  return t?.t === "word" && t.kind === "bare" && t.word.text === ".";
}

export function stageOf(tokens: Token[], units: Unit[]): Cmd {
  const whole = tokens.length === 3 ? dotnetCall(tokens, 0) : undefined;
  if (whole) return whole;
  // `. { … } | Out-Null`: the block runs in the line's own scope (see `callerScopeBlocks`); the stage is its output.
  const [dot, dotted, ...after] = tokens;
  if (isDot(dot) && dotted?.t === "word" && dotted.kind === "block" && !after.some((t) => t.t === "word")) {
    const cmd: Cmd = { kind: "cmd", argv: [], redirects: [], expression: true };
    const block = dotted.word.subs[0];
    if (block) cmd.body = block;
    return cmd;
  }
  // In an expression (not a command's arguments, where `[IO.File]::Delete` is a string) each call runs.
  const head = tokens[0];
  if (head?.t === "word" && head.kind !== "bare") {
    for (let i = 0; i < tokens.length - 2; i++) {
      const call = dotnetCall(tokens, i);
      if (call) units.push({ kind: "pipeline", stages: [call] });
    }
  }
  const words: Word[] = [];
  const redirects: Redirect[] = [];
  let pending: string | undefined;
  let expression = false;
  let background = false;
  let invoked: Script | undefined;
  let index = 0;
  for (const tok of tokens) {
    const atStart = index++ === 0 || (index === 2 && tokens[0]?.t === "amp");
    if (tok.t === "redir") {
      if (!tok.fdTarget) pending = tok.op;
      continue;
    }
    if (tok.t === "amp") {
      if (words.length > 0) background = true;
      continue;
    }
    if (tok.t !== "word") continue;
    if (pending) {
      redirects.push({ op: pending, target: tok.word });
      pending = undefined;
      continue;
    }
    if (words.length === 0 && atStart) {
      if (tok.kind === "block") {
        // `& { … }` or a bare script block: its statements are analysed as they stand.
        units.push({ kind: "expand", words: [tok.word] });
        expression = true;
        // Run by `&`, the stage's output is what the block writes; a bare block is the block itself.
        if (tokens[0]?.t === "amp") invoked = tok.word.subs[0];
        continue;
      }
      if (tok.kind !== "bare" && !(tokens[0]?.t === "amp")) expression = true;
      if (tok.kind === "bare" && tok.word.text === "." && tokens.length > 1) continue;
    }
    words.push(tok.word);
  }
  const cmd: Cmd = { kind: "cmd", argv: words, redirects };
  if (expression) cmd.expression = true;
  if (background) cmd.background = true;
  if (invoked) cmd.body = invoked;
  return cmd;
}
