import { resolvePalette, type Palette } from "../../tui/components/theme.js";

/**
 * The colours `wren setup` draws with: the assistant's default theme, and none at all under
 * NO_COLOR (https://no-color.org), as the assistant itself does.
 */
export const theme: Palette = resolvePalette("dark");
