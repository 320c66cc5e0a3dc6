import { Box, Text } from "ink";
import { createElement as h, useEffect, useState, type ReactElement } from "react";
import { checkProviderKey, providerBaseURL, type KeyCheck } from "../../../runtime/provider-key-check.js";
import type { DraftProvider } from "../draft.js";
import { PROVIDER_CHOICES, type ProviderChoice } from "../provider-choices.js";
import { theme } from "./palette.js";
import { SelectList } from "./select-list.js";
import { TextField } from "./text-field.js";

export interface ProviderFormProps {
  /** Names already taken: adding one again would overwrite it. */
  taken: readonly string[];
  /** Never touch the network: the key is kept unchecked, with a note. */
  offline: boolean;
  onAdd: (provider: DraftProvider) => void;
  onBack: () => void;
}

type Field = "pick" | "name" | "url" | "model" | "key" | "checking" | "refused";

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

function validUrl(text: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** What the provider list says about a new key. */
function describeCheck(check: KeyCheck | undefined): string {
  if (check === undefined) return "key not checked";
  if (check.status === "ok") return "key accepted";
  if (check.status === "refused") return `key refused (HTTP ${check.httpStatus}), kept anyway`;
  return `key not checked (${check.reason})`;
}

/** Adds one cloud provider: which one (or a URL), the teacher model, the key, checked with one cheap call. */
export function ProviderForm({ taken, offline, onAdd, onBack }: ProviderFormProps): ReactElement {
  const [field, setField] = useState<Field>("pick");
  const [choice, setChoice] = useState<ProviderChoice>(PROVIDER_CHOICES[0]!);
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [model, setModel] = useState("");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [check, setCheck] = useState<KeyCheck>();
  const baseURL = choice.custom ? url : (providerBaseURL(choice.name, choice.wire) ?? "");

  const finish = (note: KeyCheck | undefined): void => {
    const settings: Record<string, unknown> = choice.custom ? { kind: "openai-compatible", baseURL: url } : {};
    onAdd({ name, model, settings, hasKey: key !== "", ...(key ? { newKey: key } : {}), keyNote: describeCheck(note) });
  };

  useEffect(() => {
    if (field !== "checking") return;
    let live = true;
    void checkProviderKey({ wire: choice.wire, baseURL, apiKey: key, offline }).then((result) => {
      if (!live) return;
      setCheck(result);
      if (result.status === "refused") setField("refused");
      else finish(result);
    });
    return () => {
      live = false;
    };
    // The check runs once per entry into "checking"; the values it reads are fixed by then.
  }, [field]);

  switch (field) {
    case "pick":
      return h(SelectList, {
        title: "Add a cloud provider",
        choices: PROVIDER_CHOICES.map((c) => c.label),
        onBack,
        onPick: (i) => {
          const picked = PROVIDER_CHOICES[i]!;
          setChoice(picked);
          setModel(picked.model);
          setError(undefined);
          if (picked.custom) {
            setField("name");
          } else if (taken.includes(picked.name)) {
            setError(`${picked.label} is set up already: delete it first (d) to set it up again.`);
          } else {
            setName(picked.name);
            setField("model");
          }
        },
        detail: () => (error ? h(Text, { color: theme.danger }, error) : null),
      });
    case "name":
      return h(TextField, {
        key: "name",
        label: "Name for this provider",
        help: "Lower-case letters, digits, '-' and '_': you will route to it as NAME:MODEL.",
        error,
        onSubmit: (value) => {
          if (!NAME.test(value)) return setError(`"${value}" is not a usable name: use lower-case letters, digits, '-' and '_'.`);
          if (taken.includes(value)) return setError(`"${value}" is taken: pick another name.`);
          setError(undefined);
          setName(value);
          setField("url");
        },
      });
    case "url":
      return h(TextField, {
        key: "url",
        label: "API root URL",
        help: "Where its OpenAI-compatible API lives, e.g. http://127.0.0.1:8000/v1",
        error,
        onSubmit: (value) => {
          if (!validUrl(value)) return setError(`"${value}" is not an http(s) URL.`);
          setError(undefined);
          setUrl(value);
          setField("model");
        },
      });
    case "model":
      return h(TextField, {
        key: "model",
        label: `Model to use from ${name}`,
        help: "The teacher model wren sends requests to when the local model cannot answer.",
        initial: model,
        error,
        onSubmit: (value) => {
          if (!value) return setError("Type a model id.");
          setError(undefined);
          setModel(value);
          setField("key");
        },
      });
    case "key":
      return h(TextField, {
        key: "key",
        label: `API key for ${name}`,
        help: choice.custom ? "Leave empty when the server needs none. The key is never shown." : "The key is never shown; it is kept in your config file, readable by you only.",
        secret: true,
        error,
        onSubmit: (value) => {
          if (!value && !choice.custom) return setError("Type the key (paste works).");
          setError(undefined);
          setKey(value);
          if (value) setField("checking");
          else onAdd({ name, model, settings: { kind: "openai-compatible", baseURL: url }, hasKey: false });
        },
      });
    case "checking":
      return h(Text, null, offline ? "Offline: the key is kept without a check." : `Checking the key with ${new URL(baseURL).host}…`);
    case "refused":
      return h(
        Box,
        { flexDirection: "column" },
        h(Text, { color: theme.danger }, `${name} refused the key (HTTP ${check?.status === "refused" ? check.httpStatus : "?"}).`),
        h(SelectList, {
          title: "What now?",
          choices: ["Type the key again", "Keep it anyway"],
          onPick: (i) => (i === 0 ? setField("key") : finish(check)),
        }),
      );
  }
}
