/**
 * zsh syntax the bash grammar does not read, written as the bash that does the same, so that what it
 * runs is analysed: `=(…)` (a process substitution through a temporary file) as `<(…)`, the short
 * loops `for x (a b) cmd` and `for x (a b) { … }`, and `if|elif|while|until COND { … }` (with
 * `elif`/`else { … }` after an `if` block). Only used where the line is a syntax error to the grammar;
 * the analysis still reports that error, so what this cannot read is never rated lower for it.
 */

/** Where the quote or brace opened at `open` closes, skipping quoted text and escapes; -1 if it does not. */
function closing(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '"') i = quoteEnd(text, i) - 1;
    else if (c === left) depth++;
    else if (c === right && --depth === 0) return i;
  }
  return -1;
}

/** Just past the quoted text that starts at `at` (`'…'` or `"…"`, where a backslash escapes), or the text's end. */
function quoteEnd(text: string, at: number): number {
  if (text[at] === "'") {
    const end = text.indexOf("'", at + 1);
    return end < 0 ? text.length : end + 1;
  }
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Where a simple command ends: an unquoted `;`, `&`, `|` or newline at depth 0, or the end. */
function commandEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") i = Math.max(i, text.indexOf("'", i + 1));
    else if (c === '"') i = quoteEnd(text, i) - 1;
    else if (c === "(" || c === "{") depth++;
    else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (depth === 0 && (c === ";" || c === "\n" || c === "&" || c === "|" || c === ")" || c === "}")) return i;
  }
  return text.length;
}

/** Whether `at` starts a command: after the start, a separator, a brace (`} elif`), an opening parenthesis, or then/do/else. */
function atCommandStart(text: string, at: number): boolean {
  return /(?:^|[;&|\n{}(]|\b(?:then|do|else))\s*$/.test(text.slice(0, at));
}

/** The text with zsh's `=(…)`, short loops and brace-bodied conditions written as bash; the same text where there are none. */
export function zshShortForms(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "\\") {
      out += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const stop = quoteEnd(text, i);
      out += text.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === "=" && text[i + 1] === "(" && /(?:^|[\s;&|(<>])$/.test(text.slice(0, i))) {
      out += "<";
      continue;
    }
    if (!atCommandStart(text, i)) {
      out += c;
      continue;
    }
    const loop = /^for\s+([A-Za-z_]\w*)\s*\(/.exec(text.slice(i));
    if (loop) {
      const open = i + loop[0].length - 1;
      const close = closing(text, open, "(", ")");
      if (close > 0) {
        const [body, next] = shortBody(text, close + 1);
        out += `for ${loop[1] ?? ""} in ${zshShortForms(text.slice(open + 1, close))}; do ${zshShortForms(body)}; done`;
        i = next - 1;
        continue;
      }
    }
    const condition = /^(if|elif|while|until)\s/.exec(text.slice(i));
    const brace = condition ? conditionBrace(text, i + condition[0].length) : -1;
    if (condition && brace > 0) {
      const close = closing(text, brace, "{", "}");
      if (close > 0) {
        const keyword = condition[1] ?? "";
        const loops = keyword === "while" || keyword === "until";
        out += `${keyword} ${zshShortForms(text.slice(i + condition[0].length, brace))}; ${loops ? "do" : "then"} ${zshShortForms(text.slice(brace + 1, close))};`;
        let next = close + 1;
        if (loops) out += " done";
        else {
          const rest = text.slice(next);
          const elseBlock = /^\s*else\s*\{/.exec(rest);
          const elseClose = elseBlock ? closing(text, next + elseBlock[0].length - 1, "{", "}") : -1;
          if (/^\s*elif\s/.test(rest)) out += " ";
          else if (elseBlock && elseClose > 0) {
            out += ` else ${zshShortForms(text.slice(next + elseBlock[0].length, elseClose))}; fi`;
            next = elseClose + 1;
          } else out += " fi";
        }
        i = next - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The `{` that opens a condition's body (`if COND {`), before the command would end; -1 where there is none. */
function conditionBrace(text: string, from: number): number {
  const end = commandEnd(text, from);
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'") i = Math.max(i, text.indexOf("'", i + 1));
    else if (c === '"') i = quoteEnd(text, i) - 1;
    else if (c === "{" && /\s/.test(text[i - 1] ?? "")) return i;
  }
  // `if true; then` is bash's own form, and `{` after the separator opens a group, not a body.
  return -1;
}

/** A short loop's body after its list: a `{ … }` block, or the one command that follows; and where it ends. */
function shortBody(text: string, from: number): [string, number] {
  const start = from + (/^\s*/.exec(text.slice(from))?.[0].length ?? 0);
  if (text[start] === "{") {
    const close = closing(text, start, "{", "}");
    if (close > 0) return [text.slice(start + 1, close), close + 1];
  }
  const end = commandEnd(text, start);
  return [text.slice(start, end), end];
}
