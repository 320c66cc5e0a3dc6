// Loaded with `node --import`: holds one bare import (WREN_TEST_HOLD_IMPORT, e.g.
// "ink") until the file WREN_TEST_HOLD_RELEASE exists, so a test decides when that module loads
// instead of racing its load time (the terminal UI's first frame is drawn before Ink is mounted).
import { register } from "node:module";

register(new URL("./hold-import-hooks.mjs", import.meta.url), {
  data: { specifier: process.env.WREN_TEST_HOLD_IMPORT, release: process.env.WREN_TEST_HOLD_RELEASE },
});
