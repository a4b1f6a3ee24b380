import type { ReactNode } from "react";
import { PriorityBadge } from "@/components/ui/badge";
import type { Priority } from "@/lib/clinical/constants";
import { ageOn, formatDate } from "@/lib/clinical/dates";
import { menopauseLabel, SEX_LABEL } from "./labels";
import type { PatientHeaderView } from "./types";
import styles from "./patient.module.css";

/** Header band: name, age with birth date, sex, MRN, site and the current priority. */
export function PatientHeader({
  patient,
  priority,
  today,
  actions,
}: {
  patient: PatientHeaderView;
  priority: Priority;
  today: string;
  actions?: ReactNode;
}) {
  const menopause = menopauseLabel(patient.sex, patient.postmenopausal);
  return (
    <header className={styles.band}>
      <div>
        <h1 className={styles.name}>
          {patient.familyName}, {patient.givenName}
        </h1>
        <dl className={styles.headerFacts}>
          <div>
            <dt>Age</dt>
            <dd>
              {ageOn(patient.birthDate, today)} years{" "}
              <span className="muted">(born {formatDate(patient.birthDate)})</span>
            </dd>
          </div>
          <div>
            <dt>Sex</dt>
            <dd>
              {SEX_LABEL[patient.sex]}
              {menopause ? <span className="muted"> · {menopause}</span> : null}
            </dd>
          </div>
          <div>
            <dt>MRN</dt>
            <dd>{patient.mrn}</dd>
          </div>
          <div>
            <dt>Site</dt>
            <dd>
              {patient.siteCode} <span className="muted">{patient.siteName}</span>
            </dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge priority={priority} />
            </dd>
          </div>
        </dl>
      </div>
      {actions ? <div className={`${styles.headerActions} no-print`}>{actions}</div> : null}
    </header>
  );
}
