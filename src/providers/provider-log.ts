/**
 * Where a provider's SDK says what it has to say (a model it knows as deprecated, an event it
 * could not parse): wren's logger (the server's, pino's methods fit), never the console, which
 * the terminal UI owns. Each message starts with the provider's name.
 */
export interface ProviderLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

type SdkLogFn = (message: string, ...rest: unknown[]) => void;

/** An SDK's logger (`error`/`warn`/`info`/`debug`, a message and more values) writing to `log`. */
export function sdkLogger(provider: string, log: ProviderLog): Record<keyof ProviderLog, SdkLogFn> {
  const to =
    (level: keyof ProviderLog): SdkLogFn =>
    (message, ...rest) =>
      log[level](`${provider}: ${[message, ...rest.map(describe)].join(" ")}`);
  return { error: to("error"), warn: to("warn"), info: to("info"), debug: to("debug") };
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
