import { readFileSync } from "node:fs";
import type { JsonSchema } from "../protocol/messages.js";
import { WrenError } from "../shared/errors.js";

/** A numeric flag, or a usage error naming the flag. */
export function numberFlag(name: string, value: string | undefined, { integer = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new WrenError("bad_request", `${name} expects ${integer ? "a whole number" : "a number"}; got "${value}".`, {
      hint: `Pass e.g. ${name} ${integer ? "42" : "0.7"}.`,
    });
  }
  return n;
}

/** `--json-schema`: inline JSON, or a path to a JSON file. */
export function schemaFlag(value: string | undefined): JsonSchema | undefined {
  if (value === undefined) return undefined;
  const text = value.trimStart().startsWith("{") ? value : readSchemaFile(value);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as JsonSchema;
  } catch (cause) {
    throw new WrenError("bad_request", `--json-schema is not a JSON object: ${cause instanceof Error ? cause.message : String(cause)}.`, {
      cause,
      hint: `Pass a schema such as '{"type":"object","properties":{"name":{"type":"string"}}}' or a path to a .json file.`,
    });
  }
}

function readSchemaFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new WrenError("bad_request", `--json-schema: cannot read ${file}.`, {
      cause,
      hint: "Pass inline JSON starting with `{`, or the path of a readable JSON file.",
    });
  }
}

/** `--lora path[:scale]`. */
export function loraFlag(values: readonly string[]): Array<{ path: string; scale: number }> {
  return values.map((value) => {
    const match = /^(.*\.gguf):([^/\\]*)$/i.exec(value) ?? /^(.*):([0-9]*\.?[0-9]+)$/.exec(value);
    if (!match) return { path: value, scale: 1 };
    const scale = Number(match[2]);
    if (match[2] === "" || !Number.isFinite(scale) || scale < 0 || scale > 4) {
      throw new WrenError("bad_request", `--lora ${value}: the scale after the colon must be a number from 0 to 4, not "${match[2]}".`, {
        hint: "Write --lora PATH or --lora PATH:SCALE, e.g. --lora adapter.gguf:0.8.",
      });
    }
    return { path: match[1] ?? value, scale };
  });
}
