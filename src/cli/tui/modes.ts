import type { PermissionMode } from "../../permissions/types.js";

/** The modes Shift+Tab cycles through; `bypass` is reached only by its flag, and Shift+Tab leaves it. */
export const CYCLED_MODES: readonly PermissionMode[] = ["default", "accept-edits", "plan"];

export function nextMode(mode: PermissionMode): PermissionMode {
  const i = CYCLED_MODES.indexOf(mode);
  return CYCLED_MODES[(i + 1) % CYCLED_MODES.length] ?? "default";
}

/** The mode as the status line names it. */
export function modeLabel(mode: PermissionMode): string {
  return mode === "accept-edits" ? "accept edits" : mode;
}
