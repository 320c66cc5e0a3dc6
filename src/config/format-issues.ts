import type { z } from "zod";
import type { JsonSchemaNode } from "./config-schema.js";
import { quoteKey } from "./key-path.js";
import type { ConfigProblem, ProblemSource } from "./problem.js";
import { keysOf, nodeAt } from "./schema-walk.js";
import { closest, unknownKeyAdvice } from "./suggest.js";

type Issue = z.core.$ZodIssue;
type KeyPath = readonly PropertyKey[];

/** `["server", "models", 0, "ref"]` → `server.models[0].ref`; a name holding a dot is quoted, `models.aliases."qwen2.5"`. */
export function formatKeyPath(keyPath: KeyPath): string {
  let out = "";
  for (const part of keyPath) {
    if (typeof part === "number") out += `[${part}]`;
    else out += `${out === "" ? "" : "."}${quoteKey(String(part))}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (value === null) return "null";
  return "a table";
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a table",
  record: "a table",
};

function example(node: JsonSchemaNode | undefined): string {
  if (node === undefined || node.default === undefined || node.defaultText !== undefined) return "";
  const value = node.default;
  if (typeof value === "object") return "";
  return `, e.g. ${JSON.stringify(value)}`;
}

function ownKeyPath(issue: Issue): (string | number)[] {
  return issue.path.filter((p): p is string | number => typeof p !== "symbol");
}

/**
 * Turns zod issues into problems that say where, which key, what was wrong and the fix.
 * `originOf` names the file, variable or flag for a key path; `source` says which of those it is.
 */
export function formatIssues(
  issues: readonly Issue[],
  schema: JsonSchemaNode,
  originOf: (keyPath: readonly (string | number)[]) => string,
  source: ProblemSource = "file",
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const keyPath = ownKeyPath(issue);
    if (issue.code === "unrecognized_keys") {
      const known = keysOf(nodeAt(schema, keyPath));
      for (const key of issue.keys) {
        const fullPath = [...keyPath, key];
        const suggestion = closest(key, known);
        const where = keyPath.length === 0 ? "sections" : "keys here";
        const home = keyPath.length === 0 ? sectionHolding(schema, key) : undefined;
        if (suggestion === undefined && home !== undefined) {
          problems.push({
            origin: originOf(fullPath),
            source,
            key: formatKeyPath(fullPath),
            message: `is not a section. Did you mean "${home}.${key}"? Put it under [${home}].`,
            about: "key",
          });
          continue;
        }
        problems.push({
          origin: originOf(fullPath),
          source,
          key: formatKeyPath(fullPath),
          message: unknownKeyAdvice(key, known, where),
          about: "key",
        });
      }
      continue;
    }
    problems.push({
      origin: originOf(keyPath),
      source,
      key: formatKeyPath(keyPath),
      message: describeIssue(issue, nodeAt(schema, keyPath), source),
      // A required key left out is a key to add; anything else here is about the value written.
      about: issue.code === "invalid_type" && issue.input === undefined ? "key" : "value",
    });
  }
  return problems;
}

/** The section that has a key of this name, for keys written outside their section. */
function sectionHolding(schema: JsonSchemaNode, key: string): string | undefined {
  return Object.entries(schema.properties ?? {}).find(([, node]) => keysOf(node).includes(key))?.[0];
}

/** How to fall back to the default, for each source. */
const LEAVE_OUT: Record<ProblemSource, string> = { file: "remove the key", env: "unset the variable", flag: "leave out the flag" };

function describeIssue(issue: Issue, node: JsonSchemaNode | undefined, source: ProblemSource): string {
  const input = issue.input;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return `is required. Add it (${expected}).`;
      if ((issue.expected === "number" || issue.expected === "int") && typeof input === "string" && input.trim() !== "" && !Number.isNaN(Number(input))) {
        return `expected ${expected}, got ${describeValue(input)}. Remove the quotes: ${input.trim()}.`;
      }
      if (issue.expected === "array" && (typeof input === "string" || typeof input === "number")) {
        return `expected ${expected}, got ${describeValue(input)}. Put it in brackets: [${JSON.stringify(input)}].`;
      }
      return `expected ${expected}, got ${describeValue(input)}. Write ${expected}${example(node)}.`;
    }
    case "invalid_value": {
      const noun = node?.noun ?? "value";
      const shown = typeof input === "string" ? JSON.stringify(input) : describeValue(input);
      return `${shown} is not a valid ${noun}. Use one of: ${issue.values.map(String).join(", ")}.`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "number" || issue.origin === "int") {
        const what = node?.maxText === undefined ? `the maximum (${max})` : `${node.maxText} (${max})`;
        const limit = issue.inclusive ? max : max - 1;
        const fallback = node?.defaultText === undefined ? "" : `, or ${LEAVE_OUT[source]} for the default`;
        return `${String(input)} is more than ${what}. Use ${limit} or less${fallback}.`;
      }
      return `is too long (at most ${max}). Shorten it.`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "number" || issue.origin === "int") {
        const limit = issue.inclusive ? min : min + 1;
        return `${String(input)} is less than the minimum (${min}). Use ${limit} or more.`;
      }
      if (min === 1) return `must not be empty. Give it a value or ${LEAVE_OUT[source]}.`;
      return `is too short (at least ${min}). Lengthen it.`;
    }
    default:
      return `${issue.message}. Check it against docs/configuration.md.`;
  }
}
