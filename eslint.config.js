// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, top to bottom. Imports go down only:
 * cli → runtime → agent | server | peers → router → providers → engine → models → shared.
 * protocol, wire, config and shared are leaves that every layer may use.
 * Each entry lists the layers that a file in that folder may import (besides itself and the leaves).
 */
const leaves = ["protocol", "wire", "config", "shared"];
/** @type {Record<string, string[]>} */
const allowed = {
  bin: ["cli"],
  cli: ["runtime", "models", "shell", "permissions"],
  runtime: ["agent", "server", "peers", "tools", "permissions", "shell", "router", "providers", "engine", "models"],
  agent: ["tools", "permissions", "shell", "router", "providers", "models"],
  server: ["router", "providers", "models"],
  // LAN peers: mDNS discovery and advertisement, and the directory `peer:` targets read (providers/peer/).
  peers: ["providers", "models"],
  tools: ["permissions", "shell"],
  permissions: ["shell"],
  shell: [],
  router: ["providers", "models"],
  providers: ["engine", "models"],
  engine: ["models"],
  models: [],
  config: [],
  wire: ["protocol"],
  protocol: [],
  shared: [],
};
const layers = Object.keys(allowed);

/** What to import instead, said in the lint message. */
const advice = {
  engine: "go through a LanguageModel from providers/ (or runtime/, which wires them)",
  providers: "take a LanguageModel (protocol/) as a parameter; runtime/ wires the concrete one",
  router: "take the router as a dependency; runtime/ builds it",
  server: "the server is an edge: only runtime/ and cli/ start it",
  peers: "runtime/ wires discovery: take a PeerSource (providers/peer/) as a parameter",
  agent: "the agent is an edge: only runtime/ and cli/ start it",
  runtime: "runtime/ is the composition root: only cli/ imports it",
  cli: "cli/ is the top layer: nothing imports it but bin/",
};

const layerConfigs = layers.map((layer) => {
  const ok = new Set([layer, ...(layer === "bin" ? [] : leaves), ...allowed[layer]]);
  if (["protocol", "wire", "config", "shared"].includes(layer)) {
    ok.clear();
    ok.add(layer);
    ok.add("shared");
    if (layer === "wire") ok.add("protocol");
    if (layer === "config") ok.add("protocol");
  }
  const forbidden = layers.filter((l) => !ok.has(l));
  const patterns = forbidden.map((l) => ({
    regex: `(^|/)${l}/`,
    message: `src/${layer}/ may not import src/${l}/ (imports go down only: see docs/architecture.md). ${
      advice[/** @type {keyof typeof advice} */ (l)] ?? `Move the shared part down into a lower layer.`
    }`,
  }));
  const engineOnly = layer === "engine" || layer === "models";
  const paths = engineOnly
    ? []
    : [
        {
          name: "node-llama-cpp",
          message: "Only src/engine/ (inference) and src/models/ (GGUF metadata) import node-llama-cpp.",
        },
      ];
  return {
    files: [`src/${layer}/**/*.ts`],
    ignores: ["src/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns, paths }] },
  };
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", URL: "readonly", console: "readonly" } },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  ...layerConfigs,
);
