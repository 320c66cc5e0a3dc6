/**
 * A word as a POSIX shell reads it back, for a command line wren shows a user to run: bare when it
 * is plain, in double quotes unless it holds what they would expand (`$`, `` ` ``, `\`, `"`, and
 * `!`, which an interactive bash expands from its history there), else in single quotes.
 */
export function shellWord(text: string): string {
  if (/^[\w./:@%+=,~-]+$/.test(text)) return text;
  if (!/["$`\\!]/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
