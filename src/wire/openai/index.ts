export * from "./chat.js";
export * from "./responses.js";
