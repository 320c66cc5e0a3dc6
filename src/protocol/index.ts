export * from "./messages.js";
export * from "./request.js";
export * from "./stream.js";
export * from "./model.js";
export * from "./collect.js";
export * from "./answer-json.js";
