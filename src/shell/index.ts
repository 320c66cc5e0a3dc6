export { analyze, createShellAnalyzer, summarize, type ShellAnalyzer } from "./analyze.js";
export { RULES, type Rule } from "./rules.js";
export { classifyPath, type PathClass } from "./paths.js";
export * from "./types.js";
