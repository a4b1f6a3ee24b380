"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { PriorityBadge } from "@/components/ui/badge";
import { IconCheck, IconHigh } from "@/components/ui/icons";
import { SuicideRiskBanner } from "@/components/clinical/critical-banner";
import { FlagCard } from "@/components/clinical/flag-card";
import { SuggestionList } from "@/components/clinical/suggestion-list";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import {
  usePatientObservations,
  type ObservationItem,
} from "@/lib/client/use-patient-observations";
import { useRecordVisit, type RecordVisitResult } from "@/lib/client/use-record-visit";
import { formatDate } from "@/lib/clinical/dates";
import { BoneDensitySection, FraxSection } from "./bone-sections";
import { FormSection, InputField } from "./fields";
import { focusNextStop, tabStops } from "./focus";
import { FracturesFallsSection } from "./fractures-falls-section";
import { LeaveDialog } from "./leave-dialog";
import { liveAssessment, type AssessPatient } from "./live-assessment";
import { LivePanel } from "./live-panel";
import { MedicationsSection } from "./medications-section";
import { MoodSection } from "./mood-section";
import { useLeaveGuard } from "./use-leave-guard";
import { VitaminDSection } from "./vitamin-d-section";
import {
  emptyVisitForm,
  localToday,
  mapErrorsToFields,
  previewObservations,
  shapeVisit,
  validateVisit,
  type FieldKey,
  type VisitFormState,
} from "./visit-form.utils";
import styles from "./visit.module.css";

export interface VisitEntryPatient extends AssessPatient {
  id: string;
  givenName: string;
  familyName: string;
  mrn: string;
  siteCode: string;
}

const SECTIONS = [
  { id: "mood", title: "Mood", prefixes: ["phq9", "phq2", "gds15"] },
  { id: "bone", title: "Bone density", prefixes: ["bmd"] },
  { id: "frax", title: "Fracture risk", prefixes: ["frax"] },
  { id: "vitd", title: "Vitamin D", prefixes: ["vitaminD"] },
  { id: "fractures", title: "Fractures & falls", prefixes: ["fractures", "falls"] },
  { id: "meds", title: "Medications", prefixes: ["medications"] },
] as const;
type SectionId = (typeof SECTIONS)[number]["id"];

function sectionOf(key: FieldKey): SectionId | null {
  const head = key.split(".")[0] ?? "";
  return SECTIONS.find((s) => (s.prefixes as readonly string[]).includes(head))?.id ?? null;
}

function countIn(section: SectionId, errors: Readonly<Record<string, string>>): number {
  return Object.keys(errors).filter((k) => sectionOf(k) === section).length;
}

function sectionSummary(section: SectionId, form: VisitFormState): string | undefined {
  const count = shapeVisit(form).targets.filter((t) => sectionOf(t.prefix) === section).length;
  return count === 0
    ? "nothing entered"
    : count === 1
      ? "1 result entered"
      : `${count} results entered`;
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** Visit entry: the paper-order form, the live panel, and the save with its outcome. */
export function VisitEntry({
  patient,
  initialObservations,
  serverToday,
}: {
  patient: VisitEntryPatient;
  initialObservations: ObservationItem[];
  serverToday: string;
}) {
  const [form, setForm] = useState<VisitFormState>(() => emptyVisitForm(serverToday));
  const [today, setToday] = useState(serverToday);
  const [dateTouched, setDateTouched] = useState(false);
  const [open, setOpen] = useState<Record<SectionId, boolean>>({
    mood: true,
    bone: true,
    frax: true,
    vitd: true,
    fractures: true,
    meds: true,
  });
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<FieldKey, string>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<RecordVisitResult | null>(null);
  const summaryRef = useRef<HTMLDivElement | null>(null);
  const formRef = useRef<HTMLFormElement | null>(null);

  const observationsQuery = usePatientObservations(patient.id, {
    initialData: initialObservations,
  });
  const mutation = useRecordVisit(patient.id);

  // The visit date defaults to today in the clinic's (the browser's) time zone.
  useEffect(() => {
    const local = localToday();
    setToday(local);
    if (!dateTouched) setForm((f) => (f.occurredOn === local ? f : { ...f, occurredOn: local }));
  }, [dateTouched]);

  const patientPath = `/patients/${patient.id}`;
  const preview = useMemo(() => previewObservations(form), [form]);
  const dirty = saved === null && preview.observations.length + preview.notCounted > 0;
  const guard = useLeaveGuard(dirty, patientPath);

  const assessment = useMemo(
    () =>
      liveAssessment(
        patient,
        observationsQuery.data ?? initialObservations,
        preview.observations,
        form.occurredOn,
      ),
    [patient, observationsQuery.data, initialObservations, preview.observations, form.occurredOn],
  );

  const clientErrors = useMemo(
    () => (attempted ? validateVisit(form, today).errors : {}),
    [attempted, form, today],
  );
  const errors: Record<FieldKey, string> = { ...clientErrors, ...serverErrors };
  const errorKeys = Object.keys(errors);

  const update = (change: (draft: VisitFormState) => VisitFormState): void => {
    setForm(change);
    if (Object.keys(serverErrors).length > 0) setServerErrors({});
    setSaveError(null);
  };

  const openSectionsWithErrors = (keys: readonly string[]): void => {
    setOpen((current) => {
      const next = { ...current };
      for (const key of keys) {
        const section = sectionOf(key);
        if (section) next[section] = true;
      }
      return next;
    });
    window.setTimeout(() => summaryRef.current?.focus(), 0);
  };

  const submit = (): void => {
    if (mutation.isPending) return;
    setAttempted(true);
    setSaveError(null);
    const { shaped, errors: found } = validateVisit(form, today);
    if (Object.keys(found).length > 0) {
      openSectionsWithErrors(Object.keys(found));
      return;
    }
    mutation.mutate(
      { occurredOn: form.occurredOn, observations: shaped.observations },
      {
        onSuccess: (result) => {
          setSaved(result);
          window.scrollTo({ top: 0 });
        },
        onError: (error) => {
          if (error instanceof ApiError && error.fieldErrors.length > 0) {
            const mapped = mapErrorsToFields(error.fieldErrors, shaped.targets);
            setServerErrors(mapped);
            openSectionsWithErrors(Object.keys(mapped));
          }
          setSaveError(errorMessage(error));
          window.setTimeout(() => summaryRef.current?.focus(), 0);
        },
      },
    );
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    submit();
  };

  // Enter moves to the next field in paper order; on the last field it saves.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey) return;
    const target = event.target;
    if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLSelectElement)) return;
    if (target instanceof HTMLInputElement && ["button", "submit"].includes(target.type)) return;
    const formElement = formRef.current;
    if (!formElement) return;
    event.preventDefault();
    const fields = tabStops(formElement);
    const stop =
      target instanceof HTMLInputElement && target.type === "radio"
        ? fields.find((el) => el instanceof HTMLInputElement && el.name === target.name)
        : target;
    if (stop !== undefined && fields[fields.length - 1] === stop) submit();
    else focusNextStop(formElement, target);
  };

  const item9 = form.depressionInstrument === "phq9" ? (form.phq9[8] ?? null) : null;
  const storedCritical = assessment?.flags.some(
    (f) => f.code === "safety.suicide-risk" && f.severity === "critical",
  );
  const showBanner = (item9 !== null && item9 > 0) || storedCritical === true;
  const name = `${patient.givenName} ${patient.familyName}`;

  if (saved) {
    const result = saved.assessment;
    const savedCritical = result.flags.find((f) => f.severity === "critical");
    return (
      <div>
        {savedCritical ? (
          <div className={styles.pageBanner}>
            <SuicideRiskBanner item9={null} sticky />
          </div>
        ) : null}
        <div className="alert alert-success" role="status" tabIndex={-1}>
          <IconCheck />
          <div>
            <strong>
              Visit saved at {timeOf(saved.visit.recordedAt)} on{" "}
              {formatDate(saved.visit.occurredOn)}.
            </strong>{" "}
            The assessment below is the server&apos;s stored result for {name}.
          </div>
        </div>
        <div className={styles.actions}>
          <Link className="btn btn-primary" href={patientPath}>
            Open patient page
          </Link>
          <Link className="btn" href={`${patientPath}/print`}>
            Print plan
          </Link>
          <Link className="btn" href="/patients">
            Back to patients
          </Link>
        </div>
        <section className="card" aria-labelledby="saved-heading">
          <div className={styles.panelHead}>
            <h2 id="saved-heading" style={{ margin: 0 }}>
              Saved assessment
            </h2>
            <PriorityBadge priority={result.priority} />
          </div>
          <p className={styles.panelNote}>
            As of {formatDate(result.asOf)} · ruleset {result.rulesetVersion} ·{" "}
            {saved.flags.length === 1 ? "1 open flag" : `${saved.flags.length} open flags`}
          </p>
          <h3>Flags</h3>
          {result.flags.length === 0 ? (
            <p className="muted">No flag fires.</p>
          ) : (
            result.flags.map((flag) => (
              <FlagCard
                key={flag.code}
                code={flag.code}
                severity={flag.severity}
                detail={flag}
                headingLevel={4}
              />
            ))
          )}
          <h3>Suggestions</h3>
          <SuggestionList suggestions={result.suggestions} headingLevel={4} />
        </section>
      </div>
    );
  }

  return (
    <>
      {showBanner ? (
        <div className={`${styles.pageBanner} ${styles.narrowOnly}`}>
          <SuicideRiskBanner item9={item9 !== null && item9 > 0 ? item9 : null} sticky />
        </div>
      ) : null}
      <div className={styles.headerRow}>
        <div>
          <h1>New visit</h1>
          <p className={styles.patientLine}>
            <Link href={patientPath}>{name}</Link> · MRN {patient.mrn} · {patient.siteCode} · born{" "}
            {formatDate(patient.birthDate)}
          </p>
        </div>
      </div>
      <div className={styles.layout}>
        <form
          ref={formRef}
          className={styles.formColumn}
          onSubmit={onSubmit}
          onKeyDown={onKeyDown}
          noValidate
          aria-label="Visit results"
        >
          <div ref={summaryRef} tabIndex={-1} className={styles.errorSummary} aria-live="assertive">
            {saveError || errorKeys.length > 0 ? (
              <div className="alert alert-error">
                <IconHigh />
                <div>
                  <strong>
                    {saveError
                      ? `Not saved: ${saveError}`
                      : "Not saved yet: check the marked fields."}
                  </strong>
                  <ul>
                    {errors.form ? <li>{errors.form}</li> : null}
                    {errorKeys.filter((k) => k !== "form").length > 0 ? (
                      <li>
                        {errorKeys.filter((k) => k !== "form").length === 1
                          ? "1 field needs attention; it is marked below."
                          : `${errorKeys.filter((k) => k !== "form").length} fields need attention; they are marked below.`}
                      </li>
                    ) : null}
                    <li>Everything you entered is kept.</li>
                  </ul>
                </div>
              </div>
            ) : null}
          </div>
          <div className={styles.fieldRow}>
            <InputField
              className={styles.narrowField}
              label="Visit date"
              field="occurredOn"
              type="date"
              required
              max={today}
              value={form.occurredOn}
              onChange={(e) => {
                setDateTouched(true);
                const value = e.target.value;
                update((f) => ({ ...f, occurredOn: value }));
              }}
              error={errors.occurredOn}
            />
          </div>
          {SECTIONS.map((section) => (
            <FormSection
              key={section.id}
              id={`section-${section.id}`}
              title={section.title}
              open={open[section.id]}
              onToggle={() => setOpen((o) => ({ ...o, [section.id]: !o[section.id] }))}
              summary={sectionSummary(section.id, form)}
              errorCount={countIn(section.id, errors)}
            >
              {section.id === "mood" ? (
                <MoodSection form={form} update={update} errors={errors} />
              ) : section.id === "bone" ? (
                <BoneDensitySection form={form} update={update} errors={errors} maxDate={today} />
              ) : section.id === "frax" ? (
                <FraxSection form={form} update={update} errors={errors} maxDate={today} />
              ) : section.id === "vitd" ? (
                <VitaminDSection form={form} update={update} errors={errors} maxDate={today} />
              ) : section.id === "fractures" ? (
                <FracturesFallsSection
                  form={form}
                  update={update}
                  errors={errors}
                  maxDate={today}
                />
              ) : (
                <MedicationsSection form={form} update={update} errors={errors} maxDate={today} />
              )}
            </FormSection>
          ))}
          <div className={styles.actions}>
            <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
              {mutation.isPending ? "Saving…" : "Save visit"}
            </button>
            <Link className="btn" href={patientPath}>
              Cancel
            </Link>
            <span className="muted">Enter moves to the next field; Esc leaves (asks first).</span>
          </div>
        </form>
        <div className={styles.panelColumn}>
          <LivePanel
            assessment={assessment}
            item9={item9}
            notCounted={preview.notCounted}
            today={today}
          />
        </div>
      </div>
      <LeaveDialog open={guard.pending !== null} onStay={guard.stay} onLeave={guard.leave} />
    </>
  );
}
