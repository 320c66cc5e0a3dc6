import type { ResponsesCreateRequest, ResponsesFunctionTool } from "../../wire/openai/responses-request.js";

/** A function tool a request offers, and the namespace tool it came in, if any. */
export interface OfferedFunction {
  tool: ResponsesFunctionTool;
  namespace?: string;
}

/**
 * The function tools of a request, those inside namespace tools included (a model sees one flat
 * list of functions; its calls of a namespaced one are answered with the namespace). The first of
 * two functions with one name wins. `onIgnored` hears of each tool of a type wren does not use.
 */
export function offeredFunctions(body: ResponsesCreateRequest, onIgnored?: (what: string) => void): OfferedFunction[] {
  const out: OfferedFunction[] = [];
  const seen = new Set<string>();
  const add = (tool: ResponsesFunctionTool, namespace?: string): void => {
    if (seen.has(tool.name)) return;
    seen.add(tool.name);
    out.push(namespace === undefined ? { tool } : { tool, namespace });
  };
  for (const t of body.tools ?? []) {
    if (t.type === "function") add(t);
    else if (t.type === "namespace") {
      for (const inner of t.tools) {
        if (inner.type === "function") add(inner, t.name);
        else onIgnored?.(`tool of type '${inner.ignoredType}' in namespace '${t.name}'`);
      }
    } else onIgnored?.(`tool of type '${t.ignoredType}'`);
  }
  return out;
}

/** The namespace of the function a model called, when it came from a namespace tool. */
export function namespaceOf(body: ResponsesCreateRequest, name: string): string | undefined {
  return offeredFunctions(body).find((f) => f.tool.name === name)?.namespace;
}
