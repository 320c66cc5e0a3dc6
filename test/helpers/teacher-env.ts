/**
 * The environment of a `wren` child process whose only model is a teacher stand-in at `baseURL`
 * (OpenAI wire, cloud use allowed, no local model), with everything else under `home`.
 */
export function teacherEnv(home: string, baseURL: string): Record<string, string> {
  return {
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
  };
}
