/**
 * The header wren's own commands send the daemon's owner key in (see the server's client auth).
 * Here, below both, so a command that only talks to the daemon does not load the server's auth and
 * dialect modules to name it.
 */
export const OWNER_KEY_HEADER = "x-wren-owner-key";
