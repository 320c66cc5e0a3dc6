import { Box, Text } from "ink";
import { createElement as h, useEffect, useState, type ReactElement } from "react";
import { theme } from "./palette.js";
import type { CloudPolicy, SetupDraft } from "../draft.js";
import { modelOptions } from "../model-options.js";
import { ListEditor } from "./list-editor.js";
import { McpForm } from "./mcp-form.js";
import { ProviderForm } from "./provider-form.js";
import { PullStep } from "./pull-step.js";
import { SelectList } from "./select-list.js";
import { mcpLine, providerLine, summaryLines } from "./summary.js";
import { KeysContext, useKeyRouter, useKeys } from "./use-keys.js";

export interface WizardProps {
  initial: SetupDraft;
  /** The file written at the end, and whether it exists (then its values are shown as current). */
  configPath: string;
  editing: boolean;
  modelsDir: string;
  token: string | undefined;
  offline: boolean;
  /** Aborted on Esc, stopping a download in flight. */
  cancel: AbortController;
  /** The draft to write, or undefined when the person cancelled. */
  onFinish: (draft: SetupDraft | undefined) => void;
}

type Step = "local" | "model" | "pull" | "providers" | "add-provider" | "policy" | "mcp" | "add-mcp" | "review";

const POLICIES: readonly CloudPolicy[] = ["allow", "ask", "never"];
const POLICY_TEXT: Record<CloudPolicy, string> = {
  allow: "allow: use the cloud providers whenever the router sends a request there",
  ask: "ask: the assistant asks once per session; the server refuses",
  never: "never: nothing leaves this machine",
};

/** `wren setup`, one step at a time; Esc anywhere cancels without writing anything. */
export function Wizard(props: WizardProps): ReactElement {
  const [draft, setDraft] = useState(props.initial);
  const [step, setStep] = useState<Step>("local");
  const [models] = useState(() => modelOptions());
  const [needsProvider, setNeedsProvider] = useState(false);
  const update = (patch: Partial<SetupDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const keys = useKeyRouter(() => {
    props.cancel.abort();
    props.onFinish(undefined);
  });
  // The steps show once the terminal is in raw mode (Ink turns it on in the effect above): a key
  // typed earlier would reach a line-buffered terminal, where Enter arrives as a newline.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const body = ((): ReactElement => {
    switch (step) {
      case "local":
        return h(SelectList, {
          title: "Run a model on this machine?",
          choices: ["Yes: a local model answers first, the cloud only when needed", "No: proxy-only, every request goes to cloud providers"],
          initial: draft.local ? 0 : 1,
          onPick: (i) => {
            update({ local: i === 0 });
            setStep(i === 0 ? "model" : "providers");
          },
        });
      case "model": {
        const names = models.options.map((o) => o.name);
        const keep = draft.model !== undefined && !names.includes(draft.model) ? draft.model : undefined;
        const choices = [...(keep ? [`Keep the current one: ${keep}`] : []), ...models.options.map((o) => `${o.name}${o.recommended ? " (recommended here)" : ""}`)];
        const offset = keep ? 1 : 0;
        const current = draft.model === undefined ? -1 : names.indexOf(draft.model);
        return h(SelectList, {
          key: "model",
          title: "Which model?",
          choices,
          initial: keep ? 0 : (current >= 0 ? current : models.recommended) + offset,
          onBack: () => setStep("local"),
          onPick: (i) => {
            if (keep && i === 0) return setStep("providers");
            update({ model: models.options[i - offset]!.name });
            setStep("pull");
          },
          detail: (i) => {
            const option = models.options[i - offset];
            if (!option) return h(Text, { color: theme.dim }, "Your own model ref, kept as it is.");
            return h(Box, { flexDirection: "column" }, ...option.preview.map(([label, value]) => h(Text, { key: label }, `${`${label}:`.padEnd(15)}${value}`)));
          },
        });
      }
      case "pull":
        return h(PullStep, {
          model: draft.model ?? "",
          modelsDir: props.modelsDir,
          token: props.token,
          signal: props.cancel.signal,
          onDone: () => setStep("providers"),
          onBack: () => setStep("model"),
        });
      case "providers":
        return h(ListEditor, {
          title: draft.local ? "Cloud providers (teachers for when the local model cannot answer)" : "Cloud providers (proxy-only needs at least one)",
          items: draft.providers.map(providerLine),
          noun: "cloud providers",
          onAdd: () => setStep("add-provider"),
          onDelete: (i) => update({ providers: draft.providers.filter((_, j) => j !== i) }),
          problem: needsProvider ? "Proxy-only needs a cloud provider to answer: press a to add one, or b to go back and use a local model." : undefined,
          onDone: () => (draft.local || draft.providers.length > 0 ? setStep("policy") : setNeedsProvider(true)),
          onBack: () => setStep(draft.local ? "model" : "local"),
        });
      case "add-provider":
        return h(ProviderForm, {
          taken: draft.providers.map((p) => p.name),
          offline: props.offline,
          onAdd: (provider) => {
            update({ providers: [...draft.providers, provider] });
            setNeedsProvider(false);
            setStep("providers");
          },
          onBack: () => setStep("providers"),
        });
      case "policy":
        return h(SelectList, {
          key: "policy",
          title: "Cloud policy: may requests leave this machine?",
          choices: POLICIES.map((p) => POLICY_TEXT[p]),
          initial: POLICIES.indexOf(draft.cloud),
          onBack: () => setStep("providers"),
          onPick: (i) => {
            update({ cloud: POLICIES[i]! });
            setStep("mcp");
          },
        });
      case "mcp":
        return h(ListEditor, {
          title: "MCP servers (tools for the coding assistant)",
          items: Object.entries(draft.mcp).map(([name, server]) => mcpLine(name, server)),
          noun: "MCP servers",
          onAdd: () => setStep("add-mcp"),
          onDelete: (i) => update({ mcp: Object.fromEntries(Object.entries(draft.mcp).filter((_, j) => j !== i)) }),
          onDone: () => setStep("review"),
          onBack: () => setStep("policy"),
        });
      case "add-mcp":
        return h(McpForm, {
          taken: Object.keys(draft.mcp),
          onAdd: (name, server) => {
            update({ mcp: { ...draft.mcp, [name]: server } });
            setStep("mcp");
          },
        });
      case "review":
        return h(Review, { draft, configPath: props.configPath, onWrite: () => props.onFinish(draft), onBack: () => setStep("mcp") });
    }
  })();
  return h(
    KeysContext.Provider,
    { value: keys },
    h(
      Box,
      { flexDirection: "column" },
      h(Text, { color: theme.accent, bold: true }, props.editing ? `wren setup: editing ${props.configPath} (current values are selected)` : "wren setup: first-run configuration"),
      ready ? h(Box, { marginTop: 1, flexDirection: "column" }, body) : null,
    ),
  );
}

function Review({ draft, configPath, onWrite, onBack }: { draft: SetupDraft; configPath: string; onWrite: () => void; onBack: () => void }): ReactElement {
  useKeys((input, key) => {
    if (key.return) onWrite();
    else if (input === "b") onBack();
  });
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true }, "Review"),
    ...summaryLines(draft).map((line, i) => h(Text, { key: i }, line)),
    h(Text, { color: theme.dim }, `Enter write ${configPath} · b back · Esc cancel`),
  );
}
