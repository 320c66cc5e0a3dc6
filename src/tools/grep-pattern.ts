import type { RE2JS, RE2JSSyntaxException } from "re2js";
import { WrenError } from "../shared/errors.js";

/** How a pattern is matched, as ripgrep's flags would say it. */
export interface GrepPatternOptions {
  ignoreCase: boolean;
  /** ripgrep's `-U --multiline-dotall`: matches may span lines and `.` matches newlines. */
  multiline: boolean;
}

/** A compiled Grep pattern. RE2 matching takes time linear in the text, whatever the pattern. */
export type GrepPattern = RE2JS;

const SYNTAX_HINT = "Escape special characters such as ( [ { . * + ? | \\ with a backslash to match them literally; the syntax is ripgrep's (RE2).";

/**
 * A ripgrep pattern, compiled with RE2 as ripgrep's own engine would: the same syntax (inline flags
 * such as `(?i)`, `\b`, `\p{Greek}`, `(?P<name>…)`), no backreferences or lookaround, and matching
 * in linear time, so a pattern such as `(a+)+$` cannot freeze the session on a long line (a
 * backtracking RegExp would). `^` and `$` match at line boundaries, as in ripgrep. RE2JS loads on
 * the first search, not when the assistant starts.
 */
export async function compileGrepPattern(pattern: string, options: GrepPatternOptions): Promise<GrepPattern> {
  const { RE2JS, RE2JSSyntaxException } = await import("re2js");
  let flags = RE2JS.MULTILINE;
  if (options.ignoreCase) flags |= RE2JS.CASE_INSENSITIVE;
  if (options.multiline) flags |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(pattern, flags);
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) throw error;
    throw patternError(pattern, error);
  }
}

/** Says what RE2 could not read, and for what ripgrep users reach for most, what to write instead. */
function patternError(pattern: string, error: RE2JSSyntaxException): WrenError {
  // RE2JS compiles its flags as a leading `(?m)` and may quote the pattern with it.
  const reported = error.getPattern() ?? "";
  const at = pattern.includes(reported) ? reported : reported.replace(/^\(\?[imsU]+\)/, "");
  const quoted = JSON.stringify(pattern);
  if (/^\\([1-9]|k|g)/.test(at)) {
    return new WrenError("bad_request", `The pattern ${quoted} uses a backreference (\`${at}\`), which ripgrep's regular expressions (RE2) do not have.`, {
      hint: "Match the repeated text itself (e.g. `(foo) foo` instead of `(foo) \\1`), or search for a wider pattern and read the matching lines.",
    });
  }
  const lookaround = /^\(\?<?[=!]/.exec(at)?.[0];
  if (lookaround) {
    const kind = lookaround.startsWith("(?<") ? "lookbehind" : "lookahead";
    return new WrenError("bad_request", `The pattern ${quoted} uses ${kind} (\`${lookaround}…)\`), which ripgrep's regular expressions (RE2) do not have.`, {
      hint: "Match the surrounding text as part of the pattern (e.g. `foo bar` instead of `foo(?= bar)`), or search for the wider text and narrow it with a second Grep.",
    });
  }
  return new WrenError("bad_request", `The pattern ${quoted} is not a valid regular expression: ${error.getDescription()}${at ? ` at \`${at}\`` : ""}.`, { hint: SYNTAX_HINT });
}
