export * from "./blocks.js";
export * from "./messages.js";
export * from "./tools.js";
