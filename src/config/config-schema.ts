import { z } from "zod";
import type { SectionContext } from "./sections/context.js";
import * as sections from "./schema.js";

type Sections = typeof sections;
type Shape = { [K in keyof Sections]: ReturnType<Sections[K]> };

/** The whole configuration schema for one machine: strict, with every default filled in. */
export function createConfigSchema(ctx: SectionContext) {
  const shape = Object.fromEntries(
    Object.entries(sections).map(([name, section]) => [name, section(ctx)]),
  ) as Shape;
  return z.strictObject(shape);
}

export type ConfigSchema = ReturnType<typeof createConfigSchema>;

/** The effective configuration, every default filled in. */
export type WrenConfig = z.output<ConfigSchema>;

/** What a config file may contain: every key optional. */
export type WrenConfigInput = z.input<ConfigSchema>;

/** A JSON Schema node, as z.toJSONSchema writes it (with wren's FieldMeta keywords). */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  required?: string[];
  minimum?: number;
  maximum?: number;
  defaultText?: string;
  maxText?: string;
  noun?: string;
  secret?: boolean;
  path?: boolean;
  modelRef?: boolean;
  [keyword: string]: unknown;
}

/** The JSON Schema of what a config file may contain (editors can use it for completion). */
export function configJsonSchema(ctx: SectionContext): JsonSchemaNode {
  return z.toJSONSchema(createConfigSchema(ctx), { io: "input" }) as JsonSchemaNode;
}
