import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, Provenance, StreamPart, Usage } from "../protocol/index.js";
import { collectStream } from "../protocol/index.js";
import { estimateTokens } from "../providers/local.js";
import { deserializeError, serializeError, toWrenError, WrenError } from "../shared/errors.js";
import { BudgetExceeded, type Budgets, type Reservation } from "./budget.js";
import { CircuitBreaker, type Breaker, type CircuitBreakerOptions, type Pass } from "./circuit-breaker.js";
import { classifyFailure, type Failure } from "./classify.js";
import { systemClock, type Clock } from "./clock.js";
import { userTextOf, type ConditionContext } from "./conditions.js";
import { ConsentGate, type ConsentOptions } from "./consent.js";
import { costOf, largestCostOf, type PriceTable } from "./cost.js";
import { DecisionLog, type AttemptRecord, type Decision } from "./decisions.js";
import { generateAsStream } from "./generate-as-stream.js";
import type { HealthChecker } from "./health.js";
import { fixedPlan, planRoute } from "./plan.js";
import { retryDelay, type RetryOptions } from "./retry.js";
import { SharedCircuitBreaker } from "./shared-circuit-breaker.js";
import type { BreakerStore } from "./state/state-store.js";
import type { Candidate, RouteNode } from "./route.js";
import type { RouterTarget } from "./target.js";
import { prepareModel, streamLimits, wholeLimits, withDeadline, withTimeouts } from "./timeouts.js";
import { outputReserve } from "./output-room.js";
import { afterPartial, escalationReason, finalError, mayFallBack, statusOf, type PromptFit } from "./outcome.js";
import { validatedLocalStream, ToolCallEscalation } from "./validated-local-stream.js";

/** A safety rule: when `match` hits the user's text, the request goes to `route` with reason `safety`. */
export interface SafetyRule {
  name: string;
  match: string;
  flags?: string;
  route: RouteNode;
}

export interface RouterOptions {
  targets: RouterTarget[];
  /** Named routes; `default` is used for `auto` and unnamed requests. */
  routes: Record<string, RouteNode>;
  /** Route used for `auto`. Default `default`. */
  defaultRoute?: string;
  safety?: SafetyRule[];
  consent: ConsentGate | ConsentOptions;
  /** USD per million tokens by `provider:model` or `provider:*`. */
  prices?: PriceTable;
  retry?: RetryOptions;
  breaker?: CircuitBreakerOptions;
  /** Where breakers live when replicas share them (`state.redis`). Default: each in this process. */
  sharedBreakers?: BreakerStore | undefined;
  health?: HealthChecker;
  log?: DecisionLog;
  clock?: Clock;
  /** For weighted picks and jitter; tests pin it. */
  random?: () => number;
  /** Spend limits on priced targets; none by default. */
  budgets?: Budgets;
  /** A request a budget refuses: `refuse` it (429), or answer it with the local model (`local`). Default `refuse`. */
  onBudgetExceeded?: "refuse" | "local";
  /** Output tokens a budget reserves for a request that sets no `maxOutputTokens`. Default 1024. */
  reserveOutputTokens?: number;
  /** Builds a target for an explicit `provider:model` that no route names. */
  resolveDirect?: (ref: string) => RouterTarget;
}

interface Selection {
  route: string;
  node: RouteNode;
  requestedModel: string;
  /** `generate`: the client wants one response, so targets are called without streaming. */
  mode?: "stream" | "generate";
}

type AttemptResult = { ok: true; finish: StreamPart & { type: "finish" } } | { ok: false; error: WrenError; partial: boolean };

/** How many `provider:model` targets named by clients the router remembers (with their breakers). */
const maxDirectTargets = 64;

const emptyUsage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/**
 * Decides who answers each request (local model or a cloud teacher), and says which and why in
 * `provenance` on `stream-start` and `finish`. The router is itself a LanguageModel for its default
 * route; `model(name)` gives one for a named route or an explicit `provider:model`.
 */
/**
 * A model whose non-streamed call can also be read as parts: the router's models, which call
 * their targets without streaming yet report provenance (and each failover) as parts, as a stream does.
 */
export interface WholeAsParts {
  doGenerateParts(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart>;
}

export class Router implements LanguageModel, WholeAsParts {
  readonly provider = "router";
  readonly modelId: string;
  readonly log: DecisionLog;
  private readonly targets = new Map<string, RouterTarget>();
  /**
   * Targets resolved from a `provider:model` name a client sent, most recently used last. Bounded:
   * clients choose these names, so they must not grow the router's state without limit.
   */
  private readonly direct = new Map<string, RouterTarget>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly shared = new Map<string, SharedCircuitBreaker>();
  private readonly consent: ConsentGate;
  private readonly clock: Clock;
  private readonly random: () => number;
  /** The first target with a local model, found when targets are added rather than per request. */
  private localTarget: RouterTarget | undefined;
  /** The plans of configured routes that do not depend on the request (see {@link fixedPlan}), by route node. */
  private readonly fixedPlans = new Map<RouteNode, Candidate[] | undefined>();
  /** The safety rules' patterns, each compiled when first needed (a bad one fails the requests that reach it, as before). */
  private readonly safetyPatterns: RegExp[] = [];

  constructor(private readonly options: RouterOptions) {
    this.modelId = options.defaultRoute ?? "default";
    if (!options.routes[this.modelId]) {
      throw new WrenError("config_invalid", `The router has no "${this.modelId}" route.`, {
        hint: `Define router.routes.${this.modelId} in config.`,
      });
    }
    for (const target of options.targets) this.targets.set(target.id, target);
    this.localTarget = [...this.targets.values()].find((t) => t.local);
    this.consent = options.consent instanceof ConsentGate ? options.consent : new ConsentGate(options.consent);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? new DecisionLog();
    this.log.keepTargets(options.targets.map((t) => `${t.model.provider}:${t.model.modelId}`));
  }

  /**
   * The in-process breaker of a target (created on first use): the one that decides without
   * shared breakers, and while their store is unreachable.
   */
  breaker(targetId: string): CircuitBreaker {
    let breaker = this.breakers.get(targetId);
    if (!breaker) {
      const target = this.target(targetId);
      breaker = new CircuitBreaker(this.clock, { ...this.options.breaker, ...target?.breaker });
      this.breakers.set(targetId, breaker);
    }
    return breaker;
  }

  /**
   * The breaker a request consults: shared by replicas when a store for them is set, except a
   * local model's: each replica has its own, so one replica's failing model says nothing of another's.
   */
  private gate(targetId: string): Breaker {
    const store = this.options.sharedBreakers;
    if (!store || this.target(targetId)?.local) return this.breaker(targetId);
    let breaker = this.shared.get(targetId);
    if (!breaker) {
      breaker = new SharedCircuitBreaker(store, targetId, { ...this.options.breaker, ...this.target(targetId)?.breaker }, this.breaker(targetId));
      this.shared.set(targetId, breaker);
    }
    return breaker;
  }

  /**
   * A LanguageModel for what a client asked for: `auto` (or empty) is the default route, a route
   * name is that route, and `provider:model` goes straight to that target (reason `direct`).
   */
  model(name: string | undefined): LanguageModel & WholeAsParts {
    const requested = name && name !== "auto" ? name : this.modelId;
    const route = this.options.routes[requested];
    const selection: Selection = route
      ? { route: requested, node: route, requestedModel: name ?? "auto" }
      : { route: "direct", node: { type: "target", target: this.directTarget(requested).id, reason: "direct" }, requestedModel: requested };
    // Made once per model, not `{ ...selection, mode }` per request: on Node 20 a spread followed by
    // more properties makes a new hidden class on every call.
    const whole: Selection = { route: selection.route, node: selection.node, requestedModel: selection.requestedModel, mode: "generate" };
    return {
      provider: this.provider,
      modelId: requested,
      doStream: (request, options) => this.run(request, selection, options),
      doGenerate: (request, options) => collectStream(this.run(request, whole, options)),
      doGenerateParts: (request, options) => this.run(request, whole, options),
    };
  }

  /**
   * The target a request for `name` (as in {@link model}) tries first, when that does not depend
   * on the request: a fallback's first child, or what every branch of a balancer or conditional
   * agrees on; undefined otherwise. Safety rules are not considered.
   */
  firstTarget(name: string | undefined): string | undefined {
    const requested = name && name !== "auto" ? name : this.modelId;
    const route = this.options.routes[requested];
    return route ? firstOf(route) : requested;
  }

  private target(id: string): RouterTarget | undefined {
    return this.targets.get(id) ?? this.direct.get(id);
  }

  private directTarget(ref: string): RouterTarget {
    const known = this.targets.get(ref);
    if (known) return known;
    const seen = this.direct.get(ref);
    if (seen) {
      this.direct.delete(ref);
      this.direct.set(ref, seen);
      return seen;
    }
    if (!this.options.resolveDirect) {
      throw new WrenError("model_not_found", `No route or target named "${ref}".`, {
        hint: `Use "auto", a route (${Object.keys(this.options.routes).join(", ")}) or a configured provider:model.`,
      });
    }
    const target = this.options.resolveDirect(ref);
    this.direct.set(target.id, target);
    for (const [id] of this.direct) {
      if (this.direct.size <= maxDirectTargets) break;
      this.direct.delete(id);
      this.breakers.delete(id);
      this.shared.delete(id);
      this.options.health?.forget(id);
    }
    this.localTarget = [...this.targets.values(), ...this.direct.values()].find((t) => t.local);
    return target;
  }

  doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    return this.run(request, { route: this.modelId, node: this.options.routes[this.modelId]!, requestedModel: "auto" }, options);
  }

  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return collectStream(this.doGenerateParts(request, options));
  }

  /** The default route's non-streamed answer as parts (see {@link WholeAsParts}). */
  doGenerateParts(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    const selection: Selection = { route: this.modelId, node: this.options.routes[this.modelId]!, requestedModel: "auto", mode: "generate" };
    return this.run(request, selection, options);
  }

  private conditionContext(request: ChatRequest, requestedModel: string): ConditionContext {
    const local = this.localTarget;
    let counted: Promise<number> | undefined;
    return {
      request,
      requestedModel,
      localContextLength: local?.local?.contextLength,
      promptTokens: () =>
        (counted ??= local?.local?.tokenCounter ? local.local.tokenCounter.countTokens(request) : Promise.resolve(estimateTokens(request))),
    };
  }

  private async plan(request: ChatRequest, selection: Selection, ctx: ConditionContext): Promise<{ candidates: Candidate[]; rule?: string }> {
    const rules = this.options.safety ?? [];
    const node = selection.node;
    // A route that is one target (every `provider:model` a client names, and many a config sets)
    // has one plan: no strategy to run for it.
    if (rules.length === 0 && node.type === "target") return { candidates: [{ target: node.target, reason: node.reason ?? "primary", onStatus: undefined }] };
    // A configured route of targets and fallbacks only plans the same way every time.
    if (rules.length === 0) {
      let fixed = this.fixedPlans.get(node);
      if (fixed === undefined && !this.fixedPlans.has(node)) {
        fixed = fixedPlan(node);
        this.fixedPlans.set(node, fixed);
      }
      if (fixed) return { candidates: fixed };
    }
    const text = rules.length ? userTextOf(request) : "";
    for (const [i, rule] of rules.entries()) {
      const pattern = (this.safetyPatterns[i] ??= new RegExp(rule.match, rule.flags ?? "i"));
      pattern.lastIndex = 0; // a `g` or `y` flag must not carry a match position from one request to the next
      if (pattern.test(text)) return { candidates: await planRoute(rule.route, ctx, this.random, "safety"), rule: rule.name };
    }
    return { candidates: await planRoute(selection.node, ctx, this.random) };
  }

  /** Why `target` must be skipped before trying it, if it must. */
  private async skipReason(
    target: RouterTarget,
    request: ChatRequest,
    ctx: ConditionContext,
    waited: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ reason: string; error?: WrenError; fit?: PromptFit } | undefined> {
    // Allowed by policy needs no wait on the gate (it only ever waits on asking the user).
    if (target.leavesMachine && this.consent.policy !== "allow") {
      const refusal = await this.consent.check(target.id, signal);
      if (refusal) return { reason: "consent", error: refusal };
    }
    if (this.options.health && !this.options.health.isHealthy(target.id)) return { reason: "unhealthy" };
    if (!waited && target.local?.isReady && !target.local.isReady()) return { reason: "loading" };
    if (target.local) {
      const counter = target.local.tokenCounter;
      // A tokenizer failure must not lose the request: fall back to the estimate.
      const tokens = counter ? await counter.countTokens(request).catch(() => estimateTokens(request)) : await ctx.promptTokens().catch(() => estimateTokens(request));
      const room = target.local.contextLength - outputReserve(request.maxOutputTokens, target.local.contextLength);
      if (tokens > room) return { reason: "context", ...(room > 0 ? { fit: { promptTokens: tokens, maxPromptTokens: room } } : {}) };
    }
    return undefined;
  }

  private async *run(request: ChatRequest, selection: Selection, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const signal = options.signal;
    const started = this.clock.now();
    const attempts: AttemptRecord[] = [];
    const decision: Decision = {
      id: this.log.nextId(),
      at: new Date().toISOString(),
      route: selection.route,
      requestedModel: selection.requestedModel,
      outcome: "error",
      attempts,
      costUsd: 0,
      ms: 0,
      ...(options.client ? { keyId: options.client.keyId } : {}),
    };
    let recorded = false;
    let inFlight: { breaker: Breaker; pass: Pass } | undefined;
    const finish = (patch: Partial<Decision>) => {
      recorded = true;
      inFlight = undefined;
      Object.assign(decision, patch, { ms: this.clock.now() - started });
      this.log.record(decision);
    };
    try {
      const ctx = this.conditionContext(request, selection.requestedModel);
      let candidates: Candidate[];
      try {
        const plan = await this.plan(request, selection, ctx);
        candidates = [...plan.candidates];
        if (plan.rule) decision.safetyRule = plan.rule;
      } catch (error) {
        const wrenError = toWrenError(error);
        finish({ error: wrenError.message });
        yield { type: "error", error: serializeError(wrenError) };
        return;
      }

      let escalation: string | undefined;
      let lastError: WrenError | undefined;
      let refusal: WrenError | undefined;
      let overflow: PromptFit | undefined;
      // Who the final error is about: the refused target, or the one that failed last.
      let refused: Provenance | undefined;
      let failed: Provenance | undefined;

      // A local model that is loading and can say when it is ready is tried again last, once loaded:
      // a request that nothing else may take (no teacher, cloud use refused) waits instead of failing.
      const waitFor = new Set<Candidate>();
      candidates: for (const candidate of candidates) {
        // A client gone (or a run cancelled) before this target was tried: nothing is sent, nor paid for.
        if (signal?.aborted) {
          finish({ error: "aborted" });
          yield { type: "finish", finishReason: "abort", usage: emptyUsage };
          return;
        }
        const target = this.target(candidate.target);
        if (!target) {
          attempts.push({ target: candidate.target, outcome: "skipped", detail: "unknown-target", ms: 0 });
          continue;
        }
        const waited = waitFor.has(candidate);
        if (waited) {
          const t0 = this.clock.now();
          try {
            await target.local?.whenReady?.(signal);
          } catch (error) {
            if (signal?.aborted) {
              finish({ error: "aborted" });
              yield { type: "finish", finishReason: "abort", usage: emptyUsage };
              return;
            }
            lastError = toWrenError(error);
            failed = { provider: target.model.provider, model: target.model.modelId, reason: "loading", route: selection.route };
            attempts.push({ target: target.id, outcome: "failed", detail: lastError.code, ms: this.clock.now() - t0 });
            continue;
          }
        }
        const skip = await this.skipReason(target, request, ctx, waited, signal);
        if (skip?.error?.code === "aborted") {
          finish({ error: "aborted" });
          yield { type: "finish", finishReason: "abort", usage: emptyUsage };
          return;
        }
        if (skip?.reason === "loading" && target.local?.whenReady) {
          attempts.push({ target: target.id, outcome: "skipped", detail: "loading", ms: 0 });
          escalation ??= "loading";
          waitFor.add(candidate);
          candidates.push(candidate);
          continue;
        }
        if (skip) {
          attempts.push({ target: target.id, outcome: "skipped", detail: skip.reason, ms: 0 });
          // The target with the most room says how far the prompt is over.
          if (skip.fit && (!overflow || skip.fit.maxPromptTokens > overflow.maxPromptTokens)) overflow = skip.fit;
          if (skip.error) {
            refusal ??= skip.error;
            refused ??= { provider: target.model.provider, model: target.model.modelId, reason: skip.reason, route: selection.route };
          }
          escalation ??= skip.reason;
          continue;
        }
        const breaker = this.gate(target.id);
        // The failure a retry is for: should the circuit open on it, it is this target's last.
        let retrying: { error: WrenError; provenance: Provenance; failure: Failure } | undefined;
        for (let attempt = 0; ; attempt++) {
          const pass = await breaker.admit();
          if (!pass) {
            if (retrying) {
              const last = attempts[attempts.length - 1];
              if (last?.outcome === "retried") last.outcome = "failed";
              lastError = retrying.error;
              failed = retrying.provenance;
            }
            attempts.push({ target: target.id, outcome: "skipped", detail: "circuit-open", ms: 0 });
            escalation ??= attempt === 0 ? "circuit-open" : "fallback";
            if (retrying && !mayFallBack(retrying.failure, candidate.onStatus)) break candidates;
            continue candidates;
          }
          const primaryLocal = candidate.reason === "primary" && !target.leavesMachine && target.local !== undefined;
          // Waited for: it answers as itself, unless another target failed before it.
          const reason = waited ? (lastError ? "fallback" : primaryLocal ? "local" : candidate.reason) : (escalation ?? (primaryLocal ? "local" : candidate.reason));
          const provenance: Provenance = {
            provider: target.model.provider,
            model: target.model.modelId,
            reason,
            route: selection.route,
          };
          const reserved = await this.reserveBudget(target, request, options.client?.keyId);
          if (reserved instanceof WrenError) {
            await breaker.released(pass);
            attempts.push({ target: target.id, outcome: "skipped", detail: "budget", ms: 0 });
            refusal ??= reserved;
            refused ??= { ...provenance, reason: "budget" };
            escalation ??= "budget";
            const local = this.localTarget;
            // The refusing budget's own policy, else the router's.
            const policy = (reserved instanceof BudgetExceeded ? reserved.onExceeded : undefined) ?? this.options.onBudgetExceeded;
            if (policy === "local" && local && !candidates.some((c) => c.target === local.id)) candidates.push({ target: local.id, reason: "budget" });
            continue candidates;
          }
          const held = reserved?.hold;
          // A held request's answer is bounded by its hold: without max_tokens of its own, the
          // teacher is given the output the hold was made for, so the answer cannot cost more.
          const sent = reserved && request.maxOutputTokens === undefined ? { ...request, maxOutputTokens: reserved.outputTokens } : request;
          const t0 = this.clock.now();
          inFlight = { breaker, pass };
          const mode = selection.mode ?? "stream";
          // A non-streamed answer stays one object up to the client, unless a local model's tool
          // calls are to be checked part by part.
          const result: AttemptResult = yield* (mode === "generate" && !checksToolCalls(target, sent)
            ? this.whole(target, sent, provenance, signal)
            : this.attempt(target, sent, provenance, signal, mode));
          inFlight = undefined;
          // The hold becomes the actual cost: nothing, unless it answered. An answer that stopped
          // after part of it came (cut, failed or cancelled) was paid for as far as it went, and its
          // usage is unknown: the hold stays in place, an overcount, never an overspend. So does one
          // that timed out: the request went out, and the teacher may answer (and bill) it anyway.
          if (held) {
            if (result.ok) await held.settle(costOf(this.options.prices ?? {}, provenance.provider, provenance.model, result.finish.usage)).catch(() => undefined);
            else if (!result.partial && result.error.code !== "timeout") await held.settle(0).catch(() => undefined);
          }
          const ms = this.clock.now() - t0;
          if (result.ok) {
            await breaker.succeeded();
            attempts.push({ target: target.id, outcome: "ok", ms });
            const usage = result.finish.usage;
            const costUsd = costOf(this.options.prices ?? {}, provenance.provider, provenance.model, usage);
            finish({ outcome: "ok", provider: provenance.provider, model: provenance.model, reason, usage, costUsd });
            yield result.finish;
            return;
          }
          const error = result.error;
          if (signal?.aborted || error.code === "aborted") {
            await breaker.released(pass);
            attempts.push({ target: target.id, outcome: "failed", detail: "aborted", ms });
            finish({ error: "aborted", provider: provenance.provider, model: provenance.model, reason });
            if (!result.partial) yield { type: "finish", finishReason: "abort", usage: emptyUsage };
            else yield { type: "finish", finishReason: "abort", usage: emptyUsage, provenance };
            return;
          }
          const failure = error instanceof ToolCallEscalation ? undefined : classifyFailure(error);
          // A busy local model (its queue is full) is not unwell: a flood must not open its circuit.
          const busyLocal = target.local !== undefined && error.code === "overloaded";
          if (failure?.countsAgainstTarget && !busyLocal) await breaker.failed(pass);
          else await breaker.released(pass);
          if (result.partial) {
            attempts.push({ target: target.id, outcome: "error-after-partial", detail: error.code, ...statusOf(error), ms });
            finish({ error: error.message, provider: provenance.provider, model: provenance.model, reason });
            yield errorPart(afterPartial(target.id, error), provenance);
            return;
          }
          const delay = failure ? retryDelay(failure, attempt, { ...this.options.retry, ...target.retry }, this.random) : undefined;
          if (delay !== undefined && failure) {
            retrying = { error, provenance, failure };
            attempts.push({ target: target.id, outcome: "retried", detail: error.code, ...statusOf(error), ms });
            try {
              await this.clock.sleep(delay, signal);
            } catch {
              finish({ error: "aborted" });
              yield { type: "finish", finishReason: "abort", usage: emptyUsage };
              return;
            }
            continue;
          }
          attempts.push({ target: target.id, outcome: "failed", detail: error instanceof ToolCallEscalation ? "tool-call" : error.code, ...statusOf(error), ms });
          lastError = error;
          failed = provenance;
          escalation ??= escalationReason(error, failure);
          if (failure && !mayFallBack(failure, candidate.onStatus)) break candidates;
          continue candidates;
        }
      }

      const error = finalError(selection.route, attempts, lastError, refusal, overflow);
      finish({ error: error.message });
      const about = lastError ? failed : refused;
      yield errorPart(error, about);
    } finally {
      // The client stopped reading (disconnect, early return): free a half-open probe and keep the record.
      await inFlight?.breaker.released(inFlight.pass);
      if (!recorded) finish({ error: "cancelled by the client" });
    }
  }

  /**
   * Holds the largest cost a request to a priced target can have (its prompt, estimated, at the
   * dearest input price, and its output limit) on the budgets; a refusal, or a store that cannot be reached, keeps it from the
   * target (fail closed: no replica spends what it cannot count).
   */
  private async reserveBudget(target: RouterTarget, request: ChatRequest, keyId: string | undefined): Promise<{ hold: Reservation; outputTokens: number } | WrenError | undefined> {
    const budgets = this.options.budgets;
    if (!budgets?.configured) return undefined;
    const { provider, modelId } = target.model;
    const outputTokens = request.maxOutputTokens ?? this.options.reserveOutputTokens ?? 1024;
    // The tools' definitions are prompt too: the teacher reads them, and bills them, as input.
    const toolTokens = request.tools?.length ? Math.ceil(JSON.stringify(request.tools).length / 4) : 0;
    const estimate = largestCostOf(this.options.prices ?? {}, provider, modelId, estimateTokens(request) + toolTokens, outputTokens);
    if (estimate === 0) return undefined;
    const hold = await budgets.reserve({ provider, keyId }, estimate).catch((error: unknown) => toWrenError(error));
    return hold instanceof WrenError ? hold : { hold, outputTokens };
  }

  /**
   * One streamed call to one target (or a non-streamed one whose tool calls are checked part by
   * part; else see {@link whole}): buffers nothing once output starts, and reports how it ended.
   */
  private async *attempt(
    target: RouterTarget,
    request: ChatRequest,
    provenance: Provenance,
    signal: AbortSignal | undefined,
    mode: "stream" | "generate",
  ): AsyncGenerator<StreamPart, AttemptResult> {
    const validating = checksToolCalls(target, request);
    let committed = false;
    /** The target's prompt count, passed on once the router commits to the target. */
    let input: StreamPart | undefined;
    const call = (req: ChatRequest, o: CallOptions) => (mode === "generate" ? generateAsStream(target.model, req, o) : target.model.doStream(req, o));
    try {
      const preparing = prepareModel(target.model, signal);
      if (preparing) await preparing;
      // A non-streamed answer arrives whole: connect and first-token limits would cap generation
      // time, so only the whole call's limit applies.
      const timeouts = mode === "generate" ? wholeLimits(target.timeouts ?? {}, target.leavesMachine) : streamLimits(target.timeouts ?? {}, target.leavesMachine);
      let source = withTimeouts((o) => call(request, o), timeouts, target.id, signal);
      if (validating) {
        source = validatedLocalStream(source, request, (repair, o) =>
          withTimeouts((inner) => call(repair, inner), timeouts, target.id, o.signal),
        signal);
      }
      for await (const part of source) {
        if (part.type === "stream-start") {
          // A pool says which of its replicas answers once it has one that did.
          if (part.provenance?.replica) provenance.replica = part.provenance.replica;
          // A LAN peer target says which peer it picked.
          if (part.provenance?.peer) provenance.peer = part.provenance.peer;
          continue;
        }
        if (part.type === "error") throw deserializeError(part.error);
        if (part.type === "input-usage" && !committed) {
          input = part;
          continue;
        }
        if (!committed) {
          committed = true;
          yield { type: "stream-start", provider: provenance.provider, modelId: provenance.model, provenance };
          if (input) yield input;
        }
        if (part.type === "finish") {
          if (part.finishReason === "abort") return { ok: false, error: new WrenError("aborted", "The request was cancelled."), partial: true };
          return { ok: true, finish: withProvenanceOf(part, provenance) };
        }
        yield part;
      }
      throw new WrenError("upstream_error", `${target.id} ended its stream without finishing.`, {
        hint: "The connection may have dropped; retry the request.",
        isRetryable: true,
      });
    } catch (error) {
      return { ok: false, error: toWrenError(error), partial: committed };
    }
  }

  /**
   * One non-streamed call to one target, its answer kept whole: the finish part carries its
   * content (see `StreamPart`), after a `stream-start` that commits to the target as a stream's
   * first token would. Reports how it ended, as {@link attempt} does.
   */
  private async *whole(target: RouterTarget, request: ChatRequest, provenance: Provenance, signal: AbortSignal | undefined): AsyncGenerator<StreamPart, AttemptResult> {
    let result: GenerateResult;
    try {
      const preparing = prepareModel(target.model, signal);
      if (preparing) await preparing;
      result = await withDeadline((options) => target.model.doGenerate(request, options), wholeLimits(target.timeouts ?? {}, target.leavesMachine), target.id, signal);
    } catch (error) {
      return { ok: false, error: toWrenError(error), partial: false };
    }
    // A pool says which of its replicas answered, a LAN peer target which peer.
    if (result.provenance?.replica) provenance.replica = result.provenance.replica;
    if (result.provenance?.peer) provenance.peer = result.provenance.peer;
    yield { type: "stream-start", provider: provenance.provider, modelId: provenance.model, provenance };
    if (result.finishReason === "abort") return { ok: false, error: new WrenError("aborted", "The request was cancelled."), partial: true };
    const finish: StreamPart & { type: "finish" } = { type: "finish", finishReason: result.finishReason, usage: result.usage, provenance, content: result.content };
    if (result.stopSequence !== undefined) finish.stopSequence = result.stopSequence;
    if (result.timings) finish.timings = result.timings;
    return { ok: true, finish };
  }
}

/**
 * `finish` with `provenance` on it, as `{ ...finish, provenance }` would be: Object.assign because
 * on Node 20 a spread followed by more properties makes a new hidden class on every call (about a
 * microsecond of every streamed request).
 */
function withProvenanceOf(finish: StreamPart & { type: "finish" }, provenance: Provenance): StreamPart & { type: "finish" } {
  return Object.assign({}, finish, { provenance });
}

/** Whether a local target's tool calls in answer to `request` are checked (and repaired) part by part. */
function checksToolCalls(target: RouterTarget, request: ChatRequest): boolean {
  return target.local !== undefined && target.local.validateToolCalls !== false && (request.tools?.length ?? 0) > 0;
}

/**
 * An error part about `provenance`: on the part for the edges that read parts, and on the error
 * itself, so it survives being thrown (`doGenerate`) and reaches the error response's headers.
 */
function errorPart(error: WrenError, provenance: Provenance | undefined): StreamPart {
  if (!provenance) return { type: "error", error: serializeError(error) };
  return { type: "error", error: { ...serializeError(error), provenance }, provenance };
}

/** The target a route node tries first, when every path agrees on it. */
function firstOf(node: RouteNode): string | undefined {
  const agreed = (nodes: RouteNode[]): string | undefined => {
    const firsts = new Set(nodes.map(firstOf));
    const [only] = [...firsts];
    return firsts.size === 1 ? only : undefined;
  };
  switch (node.type) {
    case "target":
      return node.target;
    case "fallback":
      return node.targets[0] ? firstOf(node.targets[0]) : undefined;
    case "loadbalance":
      return agreed(node.targets.map((t) => t.node));
    case "conditional":
      return agreed([...node.branches.map((b) => b.then), ...(node.otherwise ? [node.otherwise] : [])]);
  }
}
