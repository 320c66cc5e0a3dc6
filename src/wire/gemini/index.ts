export * from "./content.js";
export * from "./google-object.js";
export * from "./request.js";
export * from "./response.js";
