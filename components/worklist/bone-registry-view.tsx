import { Options, SelectField } from "@/components/list-page/fields";
import { EmptyState } from "@/components/ui/empty-state";
import {
  BONE_SHOW_LABEL,
  BONE_SHOWS,
  type BoneRegistryItem,
  type BoneRegistryQuery,
} from "@/lib/api/bone-registry";
import { formatDate } from "@/lib/clinical/dates";
import {
  ContactCell,
  RegistryShell,
  type RegistryColumn,
  type RegistryViewProps,
} from "./registry-table";
import styles from "./worklist.module.css";

const COLUMNS: readonly RegistryColumn<BoneRegistryQuery["sort"]>[] = [
  { key: "dxa", label: "DXA due" },
  "Latest DXA",
  { key: "treatment", label: "Treatment started" },
  "Adherence",
  { key: "follow-up", label: "Follow-up DXA due" },
  "Contact",
];

const TREATMENT_LABEL: Record<string, string> = {
  bisphosphonate: "Bisphosphonate",
  denosumab: "Denosumab",
  teriparatide: "Teriparatide",
  abaloparatide: "Abaloparatide",
  romosozumab: "Romosozumab",
  raloxifene: "Raloxifene",
};

/** The bone registry table: sortable headers (links), filters (a GET form), export. */
export function BoneRegistryView({
  today,
  ...props
}: RegistryViewProps<BoneRegistryItem, BoneRegistryQuery>) {
  return (
    <RegistryShell
      {...props}
      label="Bone registry filters"
      idPrefix="bone"
      defaultSort="dxa"
      filters={({ show }) => ({ show: show !== "all" ? show : undefined })}
      csvPath="/api/v1/worklist/bone-registry.csv"
      filter={
        <SelectField id="bone-show" label="Show" name="show" defaultValue={props.query.show}>
          <Options values={BONE_SHOWS} labels={BONE_SHOW_LABEL} />
        </SelectField>
      }
      empty={
        <EmptyState title="No patient in bone care with these filters">
          <p>
            Patients appear here once a bone flag opens or an osteoporosis treatment is recorded.
          </p>
        </EmptyState>
      }
      caption="Patients in bone care: DXA due, treatment, adherence, follow-up DXA and contact"
      columns={COLUMNS}
      cells={(i) => {
        const followUpLate = i.followUpDxaDue !== null && i.followUpDxaDue <= today;
        return (
          <>
            <td>
              {i.dxaDue ? (
                <span title={`Rule ${i.dxaDue.code}`}>
                  {i.dxaDue.title}
                  {i.dxaDue.dueOn ? (
                    <div className={styles.small}>due {formatDate(i.dxaDue.dueOn)}</div>
                  ) : null}
                </span>
              ) : (
                <span className="muted">Not due</span>
              )}
            </td>
            <td>
              {i.latestDxaOn ? formatDate(i.latestDxaOn) : <span className="muted">None</span>}
              {i.lowestTScore !== null ? (
                <div className={styles.small}>lowest T {i.lowestTScore}</div>
              ) : null}
            </td>
            <td>
              {i.treatmentStartedOn ? (
                <>
                  {formatDate(i.treatmentStartedOn)}
                  <div className={styles.small}>
                    {i.treatments.map((t) => TREATMENT_LABEL[t] ?? t).join(", ")}
                  </div>
                </>
              ) : (
                <span className="muted">Not on treatment</span>
              )}
            </td>
            <td>
              <span className="muted">Not recorded</span>
            </td>
            <td className={followUpLate ? styles.overdue : undefined}>
              {i.followUpDxaDue ? (
                `${followUpLate ? "due since" : ""} ${formatDate(i.followUpDxaDue)}`.trim()
              ) : (
                <span className="muted">–</span>
              )}
            </td>
            <ContactCell item={i} today={today} />
          </>
        );
      }}
    />
  );
}
