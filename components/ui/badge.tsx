import type { Priority, Severity } from "@/lib/clinical/constants";
import { Icon, type IconName } from "./icons";

const SEVERITY: Record<Severity, { label: string; icon: IconName }> = {
  critical: { label: "Critical", icon: "critical" },
  high: { label: "High", icon: "high" },
  moderate: { label: "Moderate", icon: "moderate" },
  low: { label: "Low", icon: "low" },
  info: { label: "Info", icon: "info" },
};

const PRIORITY: Record<Priority, { label: string; severity: Severity | "none"; icon: IconName }> = {
  urgent: { label: "Urgent", severity: "critical", icon: "critical" },
  high: { label: "High", severity: "high", icon: "high" },
  medium: { label: "Medium", severity: "moderate", icon: "moderate" },
  low: { label: "Low", severity: "low", icon: "low" },
  none: { label: "No flags", severity: "none", icon: "check" },
};

/** A priority's word, as its badge shows it. */
export function priorityLabel(priority: Priority): string {
  return PRIORITY[priority].label;
}

function Badge({ severity, icon, label }: { severity: string; icon: IconName; label: string }) {
  return (
    <span className={`badge sev-${severity}`}>
      <Icon name={icon} />
      {label}
    </span>
  );
}

/** Severity as colour + icon + word: never colour alone. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge severity={severity} {...SEVERITY[severity]} />;
}

/** An assessment's priority as colour + icon + word. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  return <Badge {...PRIORITY[priority]} />;
}
