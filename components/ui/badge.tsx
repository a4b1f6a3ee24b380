import type { ComponentType, SVGProps } from "react";
import { IconCheck, IconCritical, IconHigh, IconInfo, IconLow, IconModerate } from "./icons";

export type SeverityName = "critical" | "high" | "moderate" | "low" | "info";
export type PriorityName = "urgent" | "high" | "medium" | "low" | "none";

const SEVERITY: Record<
  SeverityName,
  { label: string; Icon: ComponentType<SVGProps<SVGSVGElement>> }
> = {
  critical: { label: "Critical", Icon: IconCritical },
  high: { label: "High", Icon: IconHigh },
  moderate: { label: "Moderate", Icon: IconModerate },
  low: { label: "Low", Icon: IconLow },
  info: { label: "Info", Icon: IconInfo },
};

/** Severity as colour + icon + word: never colour alone. */
export function SeverityBadge({ severity }: { severity: SeverityName }) {
  const { label, Icon } = SEVERITY[severity];
  return (
    <span className={`badge sev-${severity}`}>
      <Icon />
      {label}
    </span>
  );
}

const PRIORITY: Record<
  PriorityName,
  { label: string; cls: string; Icon: ComponentType<SVGProps<SVGSVGElement>> }
> = {
  urgent: { label: "Urgent", cls: "sev-critical", Icon: IconCritical },
  high: { label: "High", cls: "sev-high", Icon: IconHigh },
  medium: { label: "Medium", cls: "sev-moderate", Icon: IconModerate },
  low: { label: "Low", cls: "sev-low", Icon: IconLow },
  none: { label: "No flags", cls: "sev-none", Icon: IconCheck },
};

/** An assessment's priority as colour + icon + word. */
export function PriorityBadge({ priority }: { priority: PriorityName }) {
  const { label, cls, Icon } = PRIORITY[priority];
  return (
    <span className={`badge ${cls}`}>
      <Icon />
      {label}
    </span>
  );
}
