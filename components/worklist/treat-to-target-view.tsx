import { Options, SelectField } from "@/components/list-page/fields";
import { EmptyState } from "@/components/ui/empty-state";
import {
  TTT_STATUS_LABEL,
  TTT_STATUSES,
  type TreatToTargetItem,
  type TreatToTargetQuery,
} from "@/lib/api/treat-to-target";
import { formatDate } from "@/lib/clinical/dates";
import {
  ContactCell,
  RegistryShell,
  type RegistryColumn,
  type RegistryViewProps,
} from "./registry-table";
import styles from "./worklist.module.css";

const COLUMNS: readonly RegistryColumn<TreatToTargetQuery["sort"]>[] = [
  { key: "status", label: "Status" },
  { key: "latest", label: "PHQ-9: baseline → latest", numeric: true },
  { key: "change", label: "Change", numeric: true },
  { key: "weeks", label: "Weeks in care", numeric: true },
  { key: "contact", label: "Contact" },
  "Trend",
];

/** A PHQ-9 series as a small line (decorative: the numbers are in the row's text). */
export function Sparkline({ points }: { points: { effective: string; total: number }[] }) {
  if (points.length < 2) return null;
  const w = 80;
  const h = 20;
  const step = w / (points.length - 1);
  const d = points
    .map(
      (p, i) =>
        `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${(h - (p.total / 27) * h).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

function changeText(i: TreatToTargetItem): string {
  if (i.changePoints === null) return "–";
  const sign = i.changePoints > 0 ? "+" : "";
  return `${sign}${i.changePoints}${i.changePercent === null ? "" : ` (${sign}${i.changePercent} %)`}`;
}

/** The depression registry table: sortable headers (links), filters (a GET form), export. */
export function TreatToTargetView({
  today,
  ...props
}: RegistryViewProps<TreatToTargetItem, TreatToTargetQuery>) {
  return (
    <RegistryShell
      {...props}
      label="Treat-to-target filters"
      idPrefix="ttt"
      defaultSort="status"
      filters={({ status }) => ({ status: status?.join(",") })}
      csvPath="/api/v1/worklist/treat-to-target.csv"
      filter={
        <SelectField
          id="ttt-status"
          label="Status"
          name="status"
          defaultValue={props.query.status?.join(",") ?? ""}
        >
          <option value="">Every status</option>
          <Options values={TTT_STATUSES} labels={TTT_STATUS_LABEL} />
        </SelectField>
      }
      empty={
        <EmptyState title="No patient in depression care with these filters">
          <p>Patients appear here once a PHQ-9 of 10 or more opens a depression flag.</p>
        </EmptyState>
      }
      caption="Patients in depression care: PHQ-9 from baseline to latest, status and contact"
      columns={COLUMNS}
      patientMore={(i) => ` · in care since ${formatDate(i.careSince)}`}
      cells={(i) => (
        <>
          <td>
            {TTT_STATUS_LABEL[i.status]}
            {i.psychiatricConsultation ? (
              <div className={styles.small}>Psychiatric case review</div>
            ) : null}
          </td>
          <td className="num">
            {i.baselinePhq9 ?? "–"} → {i.latestPhq9 ?? "–"}
            <div className={styles.small}>
              {i.baselineOn ? formatDate(i.baselineOn) : ""}
              {i.latestOn && i.latestOn !== i.baselineOn ? ` → ${formatDate(i.latestOn)}` : ""}
            </div>
          </td>
          <td className="num">{changeText(i)}</td>
          <td className="num">{i.weeksInCare}</td>
          <ContactCell item={i} today={today} />
          <td className={styles.trend}>
            <Sparkline points={i.phq9} />
            <span className="visually-hidden">
              PHQ-9 totals: {i.phq9.map((p) => p.total).join(", ")}
            </span>
          </td>
        </>
      )}
    />
  );
}
