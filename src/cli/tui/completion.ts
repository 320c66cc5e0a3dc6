/** A command as completion knows it: its name, its argument words, and what /help says of it. */
export interface CompletableCommand {
  name: string;
  args?: string;
  summary: string;
}

/** Everything the prompt's ghost text may be drawn from, read fresh at each keystroke. */
export interface CompletionSources {
  commands: readonly CompletableCommand[];
  /**
   * The words a command's next argument may be (`/model` → model names), given the arguments typed
   * before it; empty when it takes free text.
   */
  argumentChoices(command: string, words: readonly string[]): readonly string[];
  /** Project files, relative to the project root with `/` separators (empty until listed). */
  files: readonly string[];
  /** The user's prompts, oldest first. */
  history: readonly string[];
  /** Shown dim in the empty prompt; undefined when the project offers nothing to suggest. */
  suggestion: string | undefined;
}

/** What the prompt shows after the typed text (dim) and Tab appends, and the choices around it. */
export interface Completion {
  kind: "command" | "argument" | "file" | "history" | "suggestion";
  /** The text Tab appends; may be empty when several choices share nothing more than what was typed. */
  ghost: string;
  /** Every choice that fits, the ghost's first (shown as a list when there are several). */
  options: readonly string[];
}

/** Choices listed under the prompt at most. */
export const MAX_OPTIONS = 8;

/**
 * The completion of what is typed so far, or undefined. In order: a slash command's name, then its
 * argument; an `@path` word (project files, one folder level at a time); a recent prompt that
 * starts with the text; and, in the empty prompt, the project's idle suggestion.
 */
export function complete(value: string, sources: CompletionSources): Completion | undefined {
  if (value === "") return sources.suggestion ? { kind: "suggestion", ghost: sources.suggestion, options: [] } : undefined;
  const command = /^\/(\S*)$/.exec(value);
  if (command) {
    const typed = command[1] ?? "";
    const names = sources.commands.filter((c) => c.name.startsWith(typed)).map((c) => c.name);
    const first = names[0];
    return first === undefined ? undefined : { kind: "command", ghost: `${first.slice(typed.length)} `, options: names };
  }
  const argument = /^\/(\S+) ((?:\S+ )*)(\S*)$/.exec(value);
  if (argument) {
    const typed = argument[3] ?? "";
    const before = (argument[2] ?? "").split(" ").filter(Boolean);
    const words = sources.argumentChoices(argument[1] ?? "", before).filter((w) => w.startsWith(typed) && w !== typed);
    const first = words[0];
    if (first !== undefined) return { kind: "argument", ghost: first.slice(typed.length), options: words };
  }
  const at = /(?:^|\s)@(\S*)$/.exec(value);
  if (at) return completePath(at[1] ?? "", sources.files);
  if (value.startsWith("/")) return undefined;
  for (let i = sources.history.length - 1; i >= 0; i--) {
    const earlier = sources.history[i]!;
    if (earlier.length > value.length && earlier.startsWith(value)) return { kind: "history", ghost: earlier.slice(value.length), options: [] };
  }
  return undefined;
}

/** The next path segment under what was typed: `@sr` → `src/`, `@src/ma` → `src/main.ts `. */
function completePath(typed: string, files: readonly string[]): Completion | undefined {
  const next = new Set<string>();
  for (const file of files) {
    if (!file.startsWith(typed) || file === typed) continue;
    const rest = file.slice(typed.length);
    const slash = rest.indexOf("/");
    next.add(slash === -1 ? `${rest} ` : rest.slice(0, slash + 1));
  }
  // Folders first (they lead further), then by name.
  const segments = [...next].sort((a, b) => Number(b.endsWith("/")) - Number(a.endsWith("/")) || a.localeCompare(b));
  const first = segments[0];
  if (first === undefined) return undefined;
  const base = typed.slice(0, typed.lastIndexOf("/") + 1);
  const leaf = typed.slice(base.length);
  return { kind: "file", ghost: first, options: segments.map((s) => `@${base}${leaf}${s.trimEnd()}`) };
}
