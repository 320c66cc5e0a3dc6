/** Colours by role; Ink (chalk) leaves them out when NO_COLOR is set or the terminal has none. */
export const theme = {
  accent: "cyan",
  dim: "gray",
  success: "green",
  warning: "yellow",
  danger: "red",
  add: "green",
  remove: "red",
} as const;

/** The colour of shell mode's risk levels, for the badge in the permission dialog. */
export const riskColour: Record<string, string> = { safe: theme.success, moderate: theme.warning, high: theme.danger, critical: theme.danger };
