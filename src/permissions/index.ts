export * from "./types.js";
export { createCommandAnalyzer, type BreakdownOptions, type CommandAnalyzer, type CommandBreakdown, type CommandPart, type RedirectWrite } from "./command-parts.js";
export { decide, type DecideOptions } from "./decide.js";
export { deniedBy, type DeniedPathOptions } from "./denied-path.js";
export { exactHostRule } from "./exact-host-rule.js";
export { DecisionLog, type DecisionRecord } from "./decision-log.js";
export { openPermissionGate, PermissionGate, type OpenPermissionGateOptions, type PermissionGateOptions } from "./gate.js";
export { withRealPaths } from "./real-paths.js";
export { flagRules, parseRulePattern, type ParsedPattern } from "./rule-syntax.js";
export { acceptProjectRules, loadPermissionSettings, trustFile, type PermissionSettings } from "./project-trust.js";
export { SessionRules } from "./session-rules.js";
export {
  addPermissionRule,
  PROJECT_SETTINGS_FILE,
  projectSettingsFile,
  readPermissionRules,
  savePermissionRule,
  userSettingsFile,
  type SettingsLocation,
} from "./settings-file.js";
