import { IconCheck, IconMissing, IconModerate } from "@/components/ui/icons";
import type { DataStatus } from "@/lib/clinical/types";
import { dataStatusText } from "./labels";
import styles from "./clinical.module.css";

const STATUS_WORD = { current: "current", stale: "stale", missing: "missing" } as const;

/**
 * Current / stale / missing per kind of data. Missing is grey and dashed and says so ("No PHQ-9 on
 * record"); nothing here is ever shown as normal for lack of data.
 */
export function DataStatusStrip({
  dataStatus,
  today,
  label = "Data status",
}: {
  dataStatus: readonly DataStatus[];
  today: string;
  label?: string;
}) {
  return (
    <ul className={styles.strip} aria-label={label}>
      {dataStatus
        // The PHQ-2 is an alternative to the PHQ-9, not a separate requirement.
        .filter((entry) => !(entry.kind === "phq2" && entry.status === "missing"))
        .map((entry) => {
          const Icon =
            entry.status === "current"
              ? IconCheck
              : entry.status === "stale"
                ? IconModerate
                : IconMissing;
          return (
            <li
              key={entry.kind}
              className={`${styles.status} ${styles[`status-${entry.status}`] ?? ""}`}
              data-status={entry.status}
            >
              <Icon />
              <span>{dataStatusText(entry, today)}</span>
              <span className="visually-hidden">({STATUS_WORD[entry.status]})</span>
            </li>
          );
        })}
    </ul>
  );
}
