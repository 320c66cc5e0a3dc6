/** Prometheus text-format metrics, kept in memory (no dependency: the format is simple). */

type Labels = Record<string, string>;

const needsEscape = /[\\"\n]/;

function escapeValue(value: string): string {
  return needsEscape.test(value) ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : value;
}

/**
 * The series key of a label set: names sorted, values escaped. It runs several times per request:
 * no intermediate arrays, and no replacing when a value has nothing to escape.
 */
export function seriesKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let out = "";
  for (const name of names) out += `${out ? "," : ""}${name}="${escapeValue(String(labels[name]))}"`;
  return out;
}

class Family {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge",
  ) {}
  add(labels: Labels, value: number): void {
    this.addTo(seriesKey(labels), value);
  }
  /** {@link add} to a series by its key ({@link seriesKey}), made once where a request records it often. */
  addTo(key: string, value: number): void {
    this.values.set(key, (this.values.get(key) ?? 0) + value);
  }
  set(labels: Labels, value: number): void {
    this.values.set(seriesKey(labels), value);
  }
  /** Drops every series: for gauges read afresh at each scrape, whose subjects may have gone. */
  clear(): void {
    this.values.clear();
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
    for (const [k, v] of this.values) out += `${this.name}${k ? `{${k}}` : ""} ${v}\n`;
    return out;
  }
}

class Histogram {
  readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}
  observe(labels: Labels, value: number): void {
    this.observeIn(seriesKey(labels), value);
  }
  /** {@link observe} into a series by its key ({@link seriesKey}). */
  observeIn(key: string, value: number): void {
    let s = this.series.get(key);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    s.sum += value;
    s.count += 1;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const [k, s] of this.series) {
      const sep = k ? "," : "";
      this.bounds.forEach((b, i) => {
        out += `${this.name}_bucket{${k}${sep}le="${b}"} ${s.buckets[i] ?? 0}\n`;
      });
      out += `${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}\n`;
      out += `${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}\n${this.name}_count${k ? `{${k}}` : ""} ${s.count}\n`;
    }
    return out;
  }
}

/** The series keys a generation records under, for one dialect and model label (see {@link ServerMetrics.seriesOf}). */
export interface GenerationSeries {
  /** `{dialect, model}`: requests, time to first token, decode speed, queue wait, restored tokens. */
  model: string;
  input: string;
  output: string;
  cached: string;
  cacheWrite: string;
  hit: string;
  miss: string;
}

/** The server's metrics: requests, tokens, time to first token, decode speed, queue and sequences. */
export class ServerMetrics {
  /** Keys made once per dialect and model label; both are bounded (model labels by ModelLabels). */
  readonly #series = new Map<string, GenerationSeries>();
  readonly requests = new Family("wren_requests_total", "HTTP requests answered, by dialect and status.", "counter");
  readonly modelRequests = new Family("wren_model_requests_total", "Generation and embedding requests started, by dialect and model.", "counter");
  readonly tokens = new Family("wren_tokens_total", "Tokens processed, by dialect, model and kind (input|output|cached: input tokens reused from an earlier request|cache_write: input tokens written to a provider's prompt cache, within input).", "counter");
  readonly ttft = new Histogram("wren_time_to_first_token_seconds", "Seconds from request to the first generated token.", [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]);
  readonly decode = new Histogram("wren_decode_tokens_per_second", "Generation speed of each request after its first token.", [
    1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
  ]);
  readonly queueDepth = new Family("wren_queue_depth", "Requests waiting for a sequence of a local model, by model.", "gauge");
  readonly activeSequences = new Family("wren_active_sequences", "Requests a local model admitted (one per parallel sequence at most), by model.", "gauge");
  readonly queueWait = new Histogram("wren_queue_wait_seconds", "Seconds a local generation waited in its model's line for a sequence, by dialect and model.", [
    0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  ]);
  readonly inFlight = new Family("wren_requests_in_flight", "Requests being answered now.", "gauge");
  readonly bodyBytes = new Family("wren_request_body_bytes_in_flight", "Bytes of request bodies held by requests running now (see server.maxBodyBytesInFlight).", "gauge");
  readonly bodyWaiting = new Family("wren_request_body_waiting", "Requests waiting for room under server.maxBodyBytesInFlight before their bodies are read.", "gauge");
  readonly promptCache = new Family(
    "wren_prompt_cache_requests_total",
    "Generations whose model reports its prompt cache (local models, teachers whose upstream states a cache count) by whether they reused a prompt prefix from an earlier request (result hit: at least 32 tokens, or more than one and half the prompt; miss: less, such as only the BOS token or a chat template's opening), by dialect and model.",
    "counter",
  );
  readonly restoredTokens = new Family("wren_prompt_cache_restored_tokens_total", "Prompt tokens restored from saved prompt states instead of computed, by dialect and model.", "counter");

  /** The series keys of a generation's metrics for `dialect` and `model`, made the first time they are asked for. */
  seriesOf(dialect: string, model: string): GenerationSeries {
    const id = `${dialect}\n${model}`;
    let series = this.#series.get(id);
    if (!series) {
      const labels = { dialect, model };
      series = {
        model: seriesKey(labels),
        input: seriesKey({ ...labels, kind: "input" }),
        output: seriesKey({ ...labels, kind: "output" }),
        cached: seriesKey({ ...labels, kind: "cached" }),
        cacheWrite: seriesKey({ ...labels, kind: "cache_write" }),
        hit: seriesKey({ ...labels, result: "hit" }),
        miss: seriesKey({ ...labels, result: "miss" }),
      };
      this.#series.set(id, series);
    }
    return series;
  }

  render(): string {
    return [this.requests, this.modelRequests, this.tokens, this.ttft, this.decode, this.queueDepth, this.activeSequences, this.queueWait, this.inFlight, this.bodyBytes, this.bodyWaiting, this.promptCache, this.restoredTokens]
      .map((f) => f.render())
      .join("");
  }
}
