"use client";

import Link from "next/link";
import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type ComponentType,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { SuicideRiskBanner } from "@/components/clinical/critical-banner";
import { ApiError, errorMessage } from "@/lib/client/fetch-json";
import {
  usePatientObservations,
  type ObservationItem,
} from "@/lib/client/use-patient-observations";
import { useRecordVisit, type RecordVisitResult } from "@/lib/client/use-record-visit";
import { formatDate } from "@/lib/clinical/dates";
import { todayInZone } from "@/lib/time-zone";
import { BoneDensitySection, FraxSection } from "./bone-sections";
import { DateField, FormSection, type SectionProps } from "./fields";
import { focusNextStop, focusRadioGroup, tabStops } from "./focus";
import { ErrorSummary, focusField } from "./error-summary";
import { FracturesFallsSection } from "./fractures-falls-section";
import { LeaveDialog } from "./leave-dialog";
import { liveAssessment, splitScores, suicideBanner, type AssessPatient } from "./live-assessment";
import { LiveBar, LivePanel } from "./live-panel";
import { MedicationsSection } from "./medications-section";
import { MoodSection } from "./mood-section";
import { SavedVisit } from "./saved-visit";
import { useLeaveGuard } from "./use-leave-guard";
import { VitaminDSection } from "./vitamin-d-section";
import { emptyVisitForm, type FieldKey, type VisitFormState } from "./visit-form.utils";
import {
  fieldName,
  sectionContents,
  sectionOf,
  sectionSummary,
  VISIT_SECTIONS,
  type SectionContents,
  type SectionId,
} from "./visit-sections";
import { mapErrorsToFields, previewObservations, validateVisit } from "./visit-validation";
import styles from "./visit.module.css";

export interface VisitEntryPatient extends AssessPatient {
  id: string;
  givenName: string;
  familyName: string;
  mrn: string;
  siteCode: string;
}

const SECTION_BODY: Record<SectionId, ComponentType<SectionProps>> = {
  mood: MoodSection,
  bone: BoneDensitySection,
  frax: FraxSection,
  vitd: VitaminDSection,
  fractures: FracturesFallsSection,
  meds: MedicationsSection,
};

function countIn(section: SectionId, errors: Readonly<Record<string, string>>): number {
  return Object.keys(errors).filter((k) => sectionOf(k) === section).length;
}

/** The first field of a section (its first radio group counts as one stop). */
function focusSection(form: HTMLFormElement, id: SectionId): boolean {
  const body = form.querySelector(`#section-${id}-body`);
  const first = body ? tabStops(body)[0] : undefined;
  first?.focus();
  return first !== undefined;
}

/** Visit entry: the paper-order form, the live panel, and the save with its outcome. */
export function VisitEntry({
  patient,
  initialObservations,
  serverToday,
  timeZone = "UTC",
  prefill,
}: {
  patient: VisitEntryPatient;
  initialObservations: ObservationItem[];
  /** Today at the patient's site when the page was rendered. */
  serverToday: string;
  /** The site's IANA time zone: its calendar dates the visit, its clock times the save. */
  timeZone?: string;
  /** The patient's own answers (a self-report), to check and correct before saving. */
  prefill?: { values: Partial<VisitFormState>; note: string };
}) {
  const [form, setForm] = useState<VisitFormState>(() => ({
    ...emptyVisitForm(serverToday),
    ...prefill?.values,
  }));
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
  const [sheetOpen, setSheetOpen] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<FieldKey, string>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{
    result: RecordVisitResult;
    contents: SectionContents[];
  } | null>(null);
  const summaryRef = useRef<HTMLDivElement | null>(null);
  const formRef = useRef<HTMLFormElement | null>(null);

  const observationsQuery = usePatientObservations(patient.id, {
    initialData: initialObservations,
  });
  const mutation = useRecordVisit(patient.id);

  // The visit date defaults to today at the clinic (still right when the page stays open overnight).
  useEffect(() => {
    const local = todayInZone(timeZone);
    setToday(local);
    if (!dateTouched) setForm((f) => (f.occurredOn === local ? f : { ...f, occurredOn: local }));
  }, [dateTouched, timeZone]);

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
  const scores = useMemo(
    () =>
      splitScores(
        patient,
        observationsQuery.data ?? initialObservations,
        preview.observations,
        form.occurredOn,
      ),
    [patient, observationsQuery.data, initialObservations, preview.observations, form.occurredOn],
  );

  // Before a save is tried, a field shows its problem once it has been left.
  const [left, setLeft] = useState<ReadonlySet<FieldKey>>(new Set());
  const clientErrors = useMemo(() => {
    const all = validateVisit(form, today).errors;
    if (attempted) return all;
    return Object.fromEntries(
      Object.entries(all).filter(([key]) => key !== "form" && left.has(key)),
    );
  }, [attempted, form, today, left]);
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
    const contents = sectionContents(form);
    mutation.mutate(
      { occurredOn: form.occurredOn, observations: shaped.observations },
      {
        onSuccess: (result) => {
          setSaved({ result, contents });
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

  // Saving is explicit (the button, or Ctrl/Cmd+Enter): the browser's implicit submission on Enter
  // is cancelled here.
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
  };

  // Enter moves to the next field in paper order and never saves; Ctrl/Cmd+Enter saves from
  // anywhere; Alt+Down / Alt+Up jump to the next / previous section.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    const formElement = formRef.current;
    if (!formElement) return;
    const target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
      return;
    }
    if (
      event.altKey &&
      (event.key === "ArrowDown" || event.key === "ArrowUp") &&
      !(target instanceof HTMLSelectElement) &&
      target instanceof Element
    ) {
      const current = VISIT_SECTIONS.findIndex((s) =>
        formElement.querySelector(`#section-${s.id}-title`)?.closest("section")?.contains(target),
      );
      const step = event.key === "ArrowDown" ? 1 : -1;
      for (let i = current + step; i >= 0 && i < VISIT_SECTIONS.length; i += step) {
        const section = VISIT_SECTIONS[i]!;
        if (focusSection(formElement, section.id)) {
          event.preventDefault();
          return;
        }
      }
      return;
    }
    if (event.key !== "Enter" || event.altKey) return;
    if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLSelectElement)) return;
    if (target instanceof HTMLInputElement && ["button", "submit"].includes(target.type)) return;
    event.preventDefault();
    if (event.shiftKey) return;
    focusNextStop(formElement, target);
  };

  // The form opens on the first question of the first questionnaire (PHQ-9 item 1).
  useEffect(() => {
    const formElement = formRef.current;
    if (!formElement) return;
    const firstItem = formElement.querySelector('[role="radiogroup"]');
    if (!focusRadioGroup(firstItem)) focusSection(formElement, "mood");
  }, []);

  const item9 = form.depressionInstrument === "phq9" ? (form.phq9[8] ?? null) : null;
  const banner = suicideBanner(assessment, item9);
  const name = `${patient.givenName} ${patient.familyName}`;

  if (saved) {
    return (
      <SavedVisit
        saved={saved.result}
        contents={saved.contents}
        timeZone={timeZone}
        patientName={name}
        patientPath={patientPath}
      />
    );
  }

  return (
    <>
      {banner.show ? (
        <div className={`${styles.pageBanner} ${styles.narrowOnly}`}>
          <SuicideRiskBanner item9={banner.item9} sticky />
        </div>
      ) : null}
      <div className={styles.headerRow}>
        <div>
          <h1>New visit</h1>
          <p className={styles.patientLine}>
            <Link href={patientPath}>{name}</Link> · MRN {patient.mrn} · {patient.siteCode} · born{" "}
            {formatDate(patient.birthDate)}
          </p>
          {prefill ? (
            <p role="note" data-testid="visit-prefill">
              {prefill.note}
            </p>
          ) : null}
        </div>
      </div>
      <div className={styles.layout}>
        <form
          ref={formRef}
          className={styles.formColumn}
          onSubmit={onSubmit}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            const key = event.target.getAttribute("data-field");
            if (key && !left.has(key)) setLeft((current) => new Set(current).add(key));
          }}
          noValidate
          aria-label="Visit results"
        >
          <ErrorSummary
            ref={summaryRef}
            saveError={saveError}
            formMessage={attempted ? errors.form : undefined}
            problems={
              attempted
                ? errorKeys
                    .filter((k) => k !== "form")
                    .map((key) => ({ key, name: fieldName(key, form), message: errors[key]! }))
                : []
            }
            onGo={(key) => focusField(formRef.current, key)}
          />
          <div className={styles.fieldRow}>
            <DateField
              className={styles.dateField}
              label="Visit date"
              data-field="occurredOn"
              required
              today={today}
              value={form.occurredOn}
              onValue={(value) => {
                setDateTouched(true);
                update((f) => ({ ...f, occurredOn: value }));
              }}
              error={errors.occurredOn}
            />
          </div>
          {VISIT_SECTIONS.map((section) => {
            const Body = SECTION_BODY[section.id];
            return (
              <FormSection
                key={section.id}
                id={`section-${section.id}`}
                title={section.title}
                open={open[section.id]}
                onToggle={() => setOpen((o) => ({ ...o, [section.id]: !o[section.id] }))}
                summary={sectionSummary(section.id, form)}
                errorCount={countIn(section.id, errors)}
              >
                <Body form={form} update={update} errors={errors} maxDate={today} />
              </FormSection>
            );
          })}
          <div className={styles.actions}>
            <button
              type="button"
              className="btn btn-primary"
              disabled={mutation.isPending}
              onClick={submit}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            >
              {mutation.isPending ? "Saving…" : "Save visit"}
            </button>
            <Link className="btn" href={patientPath}>
              Cancel
            </Link>
            <span className="muted">
              Enter moves to the next field; Ctrl+Enter saves; Alt+↓ jumps to the next section; Esc
              leaves (asks first).
            </span>
          </div>
        </form>
        <div
          id="live-panel-sheet"
          className={`${styles.panelColumn} ${sheetOpen ? styles.sheetOpen : ""}`}
        >
          <LivePanel
            assessment={assessment}
            scores={scores}
            item9={item9}
            skipped={preview.skipped}
            today={today}
          />
        </div>
      </div>
      <LiveBar
        assessment={assessment}
        item9={item9}
        open={sheetOpen}
        onToggle={() => setSheetOpen((o) => !o)}
      />
      <LeaveDialog open={guard.pending !== null} onStay={guard.stay} onLeave={guard.leave} />
    </>
  );
}
