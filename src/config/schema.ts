/*
 * The root of wren's configuration schema: one line per section, each section in its own file.
 *
 * To add a section (say `router`): create `sections/router.ts` exporting
 * `export function section(ctx: SectionContext) { return z.strictObject({...}).prefault({}).describe("...") }`
 * (every key `.describe()`d, with a `.default()` or `.optional()`), then add ONE line below:
 *
 *   export { section as router } from "./sections/router.js";
 *
 * The loader, env variables (WREN_ROUTER_*), `wren config show`, the JSON Schema and
 * docs/configuration.md all follow from that line (run `UPDATE_DOCS=1 npx vitest run src/config/docs.test.ts`).
 */
export { section as engine } from "./sections/engine.js";
export { section as models } from "./sections/models.js";
export { section as server } from "./sections/server.js";
export { section as logging } from "./sections/logging.js";
export { section as router } from "./sections/router.js";
export { section as agent } from "./sections/agent.js";
export { section as mcp } from "./sections/mcp.js";
export { section as cmd } from "./sections/cmd.js";
export { section as train } from "./sections/train.js";
export { section as peers } from "./sections/peers.js";
export { section as state } from "./sections/state.js";
