import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Modal, Text, TextField, Tooltip } from "@shopify/polaris";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { problemOf } from "./form-problems";

export interface ActionResult {
  ok: boolean;
  message: string;
  problems?: { field: string; message: string }[];
}

/**
 * A staff action behind a confirmation: the button opens a modal that says
 * what will happen, asks for the reason (kept in the audit trail) and any
 * fields the action needs, and posts them. A disallowed action is a disabled
 * button with the reason in its tooltip and next to it.
 */
export function ConfirmAction({
  label,
  title,
  intent,
  hidden = {},
  availability,
  destructive = false,
  description,
  children,
  onDone,
  showReason = true,
}: {
  label: string;
  title: string;
  intent: string;
  hidden?: Record<string, string>;
  availability: { allowed: boolean; reason: string | null };
  destructive?: boolean;
  description: ReactNode;
  children?: ReactNode;
  onDone?: (result: ActionResult) => void;
  /** False when the caller writes the reason once for several disabled actions. */
  showReason?: boolean;
}) {
  const fetcher = useFetcher<ActionResult>();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) {
      setOpen(false);
      setReason("");
      onDone?.(result);
    }
    // Only a new result matters here; onDone is a callback of the moment.
  }, [fetcher.state, result]);

  if (!availability.allowed) {
    // The reason is written next to the button, not only in its tooltip: a
    // disabled button gets no hover on touch screens and no focus by keyboard.
    return (
      <InlineStack gap="150" blockAlign="center" wrap={false}>
        <Tooltip content={availability.reason}>
          <Button disabled accessibilityLabel={`${label}: not available. ${availability.reason ?? ""}`}>
            {label}
          </Button>
        </Tooltip>
        {availability.reason && showReason ? (
          <Text as="span" variant="bodySm" tone="subdued">
            <span data-testid="disabled-reason">{availability.reason}</span>
          </Text>
        ) : null}
      </InlineStack>
    );
  }
  // Each problem once: the reason's at its field, the others (fields without a
  // place for it) in the banner; with no field problem, the action's message.
  const reasonProblem = result && !result.ok ? problemOf(result.problems, "reason") : undefined;
  const bannerLines = result && !result.ok ? (result.problems?.length ? result.problems.filter((problem) => problem.field !== "reason").map((problem) => problem.message) : [result.message]) : [];
  return (
    <>
      <Button onClick={() => setOpen(true)} tone={destructive ? "critical" : undefined}>
        {label}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        primaryAction={{ content: label, destructive, loading: busy, onAction: () => form.current && fetcher.submit(form.current) }}
        secondaryActions={[{ content: "Cancel", onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <fetcher.Form method="post" ref={form} onSubmit={(event) => { event.preventDefault(); fetcher.submit(event.currentTarget); }}>
            <input type="hidden" name="intent" value={intent} />
            {Object.entries(hidden).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <BlockStack gap="300">
              {description}
              {bannerLines.length > 0 ? (
                <Banner tone="critical">
                  {bannerLines.map((line) => (
                    <p key={line}>{line}</p>
                  ))}
                </Banner>
              ) : null}
              {children}
              <TextField label="Reason (kept in the audit trail)" name="reason" value={reason} onChange={setReason} autoComplete="off" multiline={2} error={reasonProblem} requiredIndicator />
            </BlockStack>
          </fetcher.Form>
        </Modal.Section>
      </Modal>
    </>
  );
}
