export * from "./api.js";
export * from "./manage.js";
