// Loaded with `node --import`: records every module specifier the process resolves into the file
// named by WREN_TRACE_IMPORTS, so a test can prove which modules a command loads.
import { register } from "node:module";

register(new URL("./trace-imports-hooks.mjs", import.meta.url), { data: { file: process.env.WREN_TRACE_IMPORTS } });
