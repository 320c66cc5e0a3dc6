import type { JsonSchemaNode } from "./config-schema.js";

/** Set by the published bundle's build (scripts/bundle-cli.mjs, esbuild `define`); absent under tsc. */
declare const WREN_CONFIG_SHAPE: JsonSchemaNode | undefined;

/**
 * The config schema's structure (sections, keys, types, enums, which keys are paths), for reading
 * environment variables, flags and path keys. Converting the zod schema to JSON Schema took 50–115 ms
 * of every start, so the published bundle carries the result, computed when it is built; unbundled,
 * `convert` does it at run time. Only the structure is read from it: its defaults and bounds are the
 * docs' (a machine's thread count differs), so messages that quote them use `convert`'s exact result.
 */
export function configShape(convert: () => JsonSchemaNode): JsonSchemaNode {
  return typeof WREN_CONFIG_SHAPE === "undefined" ? convert() : WREN_CONFIG_SHAPE;
}
