"use client";

import { useState, type FormEvent, type RefObject } from "react";
import { ApiError, fetchJson } from "@/lib/client/fetch-json";
import styles from "./self-report.module.css";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** A numeric part of the date (day or year): digits only, with the browser's birthday autofill. */
function DigitsField({
  label,
  autoComplete,
  maxLength,
  value,
  onChange,
}: {
  label: string;
  autoComplete: "bday-day" | "bday-year";
  maxLength: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className={styles.dateField}>
      {label}
      <input
        className={styles.input}
        inputMode="numeric"
        autoComplete={autoComplete}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ""))}
      />
    </label>
  );
}

/** The first screen of a link: the patient confirms their date of birth (day, month, year). */
export function BirthDateStep({
  firstName,
  headingRef,
  onVerified,
  onGone,
  gone,
}: {
  firstName: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onVerified: () => void;
  onGone: () => void;
  gone: boolean;
}) {
  const [day, setDay] = useState("");
  const [month, setMonth] = useState("");
  const [year, setYear] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (gone) {
    return (
      <section className={styles.card}>
        <h1 ref={headingRef} tabIndex={-1} className={styles.heading}>
          This questionnaire cannot be used any more
        </h1>
        <p>It is locked, has already been sent or has expired. Please contact your clinic.</p>
      </section>
    );
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const d = Number(day);
    const y = Number(year);
    if (!Number.isInteger(d) || d < 1 || d > 31 || !month || !/^\d{4}$/.test(year)) {
      setError("Please enter the day, the month and the year (4 digits) of your birth.");
      return;
    }
    const birthDate = `${y}-${month}-${String(d).padStart(2, "0")}`;
    setBusy(true);
    setError(null);
    try {
      await fetchJson("/api/self-report/verify", { method: "POST", body: { birthDate } });
      onVerified();
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) onGone();
      else if (e instanceof ApiError && e.fieldErrors.length > 0)
        setError(e.fieldErrors[0]!.message);
      else if (e instanceof ApiError) setError(e.problem.detail);
      else setError("Something went wrong. Please try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.card}>
      <h1 ref={headingRef} tabIndex={-1} className={styles.heading}>
        Hello, {firstName}
      </h1>
      <p>To keep your answers private, please enter your date of birth.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className={styles.dateFields}>
          <legend className={styles.legend}>Date of birth</legend>
          <DigitsField
            label="Day"
            autoComplete="bday-day"
            maxLength={2}
            value={day}
            onChange={setDay}
          />
          <label className={styles.dateField}>
            Month
            <select
              className={styles.input}
              autoComplete="bday-month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
            >
              <option value="">Choose</option>
              {MONTHS.map((name, i) => (
                <option key={name} value={String(i + 1).padStart(2, "0")}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <DigitsField
            label="Year"
            autoComplete="bday-year"
            maxLength={4}
            value={year}
            onChange={setYear}
          />
        </fieldset>
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
        <button type="submit" className={styles.primary} disabled={busy}>
          Continue
        </button>
      </form>
    </section>
  );
}
