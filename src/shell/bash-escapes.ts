/** Quote removal in bash words: backslashes outside and inside double quotes, and `$'…'`'s escapes. */

export function unescapeUnquoted(text: string): string {
  return text.replace(/\\(.)/gs, (_, c: string) => (c === "\n" ? "" : c));
}

export function unescapeDouble(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === "\n" ? "" : c));
}

export function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|.)/g, (_, e: string) => {
    if ((e.startsWith("x") || e.startsWith("u")) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v" } as Record<string, string>)[e] ?? e;
  });
}

export function gap(raw: string, quoted: boolean): string {
  return quoted ? unescapeDouble(raw) : unescapeUnquoted(raw);
}
