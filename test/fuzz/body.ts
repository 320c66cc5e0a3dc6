import { Expand } from "./mutations.js";

const TOKEN = "\u0000expand\u0000";

function expand(e: Expand): string {
  switch (e.kind) {
    case "deep-array":
      return "[".repeat(e.size) + "]".repeat(e.size);
    case "deep-object":
      return '{"a":'.repeat(e.size) + "null" + "}".repeat(e.size);
    case "deep-schema":
      return '{"type":"object","required":["x"],"properties":{"x":'.repeat(e.size) + '{"type":"string"}' + "}}".repeat(e.size);
    case "wide-array":
      return `[${Array.from({ length: e.size }, (_, i) => String(i % 10)).join(",")}]`;
    case "huge-string":
      // Words, not one repeated byte: tokenizing them is real work for the server.
      return JSON.stringify("lorem ipsum dolor sit amet ".repeat(Math.ceil(e.size / 27)).slice(0, e.size));
  }
}

/** The JSON text of a request body, with the placeholders expanded (`undefined` sends no body). */
export function serializeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  const expansions: Expand[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (value instanceof Expand) {
      expansions.push(value);
      return TOKEN;
    }
    return value;
  });
  if (expansions.length === 0) return text;
  const quoted = JSON.stringify(TOKEN);
  let i = 0;
  return text.split(quoted).reduce((out, part, index) => (index === 0 ? part : out + expand(expansions[i++]!) + part), "");
}
