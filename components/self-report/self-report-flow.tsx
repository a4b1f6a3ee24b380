"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import {
  answerOf,
  INSTRUMENT_LABEL,
  isAsked,
  questionsFor,
  SUICIDE_ITEM_INDEX,
  type SelfReportAnswers,
  type SelfReportInstrument,
  type SelfReportSessionView,
} from "@/lib/api/self-report-values";
import { ApiError, fetchJson } from "@/lib/client/fetch-json";
import { BirthDateStep } from "./birth-date-step";
import { CRISIS_TEXT, questionText, spokenText, type AnswerChoice } from "./questions";
import { ReadAloud } from "./read-aloud";
import styles from "./self-report.module.css";

type Screen =
  | { kind: "intro" }
  | { kind: "question"; index: number }
  | { kind: "crisis"; next: number }
  | { kind: "review" }
  | { kind: "done" }
  | { kind: "gone" };

/**
 * The patient's questionnaire: one question per screen, large answers, progress, back and
 * read-aloud, no time limit. Each answer is saved as it is given; a PHQ-9 item 9 answer above 0
 * is followed at once by a screen with the crisis line.
 */
export function SelfReportFlow({ initial }: { initial: SelfReportSessionView }) {
  const [verified, setVerified] = useState(initial.verified);
  const [answers, setAnswers] = useState<SelfReportAnswers>(initial.answers);
  const [screen, setScreen] = useState<Screen>(
    initial.status === "submitted" ? { kind: "done" } : { kind: "intro" },
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const questions = useMemo(() => questionsFor(initial.instruments), [initial.instruments]);
  const tablet = initial.mode === "tablet";

  // Each new screen moves focus to its heading, so a screen reader and the keyboard start there.
  useEffect(() => {
    headingRef.current?.focus();
  }, [screen, verified]);

  const nextAsked = (from: number, given: SelfReportAnswers): number => {
    let index = from;
    while (index < questions.length && !isAsked(questions[index]!, given)) index += 1;
    return index;
  };
  const previousAsked = (from: number): number => {
    let index = from;
    while (index >= 0 && !isAsked(questions[index]!, answers)) index -= 1;
    return index;
  };
  const goTo = (index: number, given: SelfReportAnswers): void => {
    const next = nextAsked(index, given);
    setScreen(next >= questions.length ? { kind: "review" } : { kind: "question", index: next });
  };
  const fail = (e: unknown): void => {
    if (e instanceof ApiError && e.status === 410) setScreen({ kind: "gone" });
    else setError("Your answer could not be saved. Please try again.");
  };

  const answer = async (index: number, choice: AnswerChoice): Promise<void> => {
    const question = questions[index]!;
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await fetchJson<{ answers: SelfReportAnswers }>("/api/self-report/answers", {
        method: "PUT",
        body: { ...question, value: choice.value },
      });
      setAnswers(saved.answers);
      const positiveItem9 =
        question.instrument === "phq9" &&
        question.item === SUICIDE_ITEM_INDEX &&
        typeof choice.value === "number" &&
        choice.value > 0;
      if (positiveItem9) setScreen({ kind: "crisis", next: index + 1 });
      else goTo(index + 1, saved.answers);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await fetchJson("/api/self-report/submit", { method: "POST" });
      setScreen({ kind: "done" });
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) setScreen({ kind: "gone" });
      else if (e instanceof ApiError && e.status === 422) setError(e.problem.detail);
      else setError("Your answers could not be sent. Please try again.");
    } finally {
      setBusy(false);
    }
  };

  const heading = (text: string) => (
    <h1 ref={headingRef} tabIndex={-1} className={styles.heading}>
      {text}
    </h1>
  );
  const errorBox = error ? (
    <p role="alert" className={styles.error}>
      {error}
    </p>
  ) : null;

  if (!verified) {
    return (
      <BirthDateStep
        firstName={initial.firstName}
        headingRef={headingRef}
        onVerified={() => setVerified(true)}
        onGone={() => setScreen({ kind: "gone" })}
        gone={screen.kind === "gone"}
      />
    );
  }

  if (screen.kind === "gone") {
    return (
      <section className={styles.card}>
        {heading("This questionnaire cannot be used any more")}
        <p>It has already been sent or has expired. Please contact your clinic.</p>
      </section>
    );
  }

  if (screen.kind === "done") {
    return (
      <section className={styles.card}>
        {heading(tablet ? "Thank you. You are done." : "Thank you. Your answers were sent.")}
        {tablet ? (
          <>
            <p>Please hand the tablet back to a member of staff.</p>
            <p className={styles.muted}>This screen is locked. Staff: sign in to continue.</p>
            {/* A plain link: the staff's session was removed from this tablet when it was handed over. */}
            <a className={styles.staffLink} href="/signin">
              Staff sign-in
            </a>
          </>
        ) : (
          <p>Your clinic will go through them with you. You can close this page now.</p>
        )}
      </section>
    );
  }

  if (screen.kind === "intro") {
    const count = questions.filter((q) => isAsked(q, answers)).length;
    return (
      <section className={styles.card}>
        {heading(`Hello, ${initial.firstName}`)}
        <p>
          Your clinic asks you to answer {count} short questions (
          {initial.instruments.map((i: SelfReportInstrument) => INSTRUMENT_LABEL[i]).join(", ")}).
        </p>
        <p>Take as long as you need. You can go back to change an answer at any time.</p>
        <button
          type="button"
          className={styles.primary}
          onClick={() => goTo(0, answers)}
          data-testid="self-report-start"
        >
          Start
        </button>
      </section>
    );
  }

  if (screen.kind === "crisis") {
    return (
      <section className={`${styles.card} ${styles.crisis}`} aria-labelledby="crisis-heading">
        <h1 id="crisis-heading" ref={headingRef} tabIndex={-1} className={styles.heading}>
          Your safety comes first
        </h1>
        <p>{CRISIS_TEXT}</p>
        {tablet ? <p>Please also tell a member of staff now.</p> : null}
        <p>Your clinic has been told about this answer.</p>
        <button type="button" className={styles.primary} onClick={() => goTo(screen.next, answers)}>
          Continue
        </button>
      </section>
    );
  }

  if (screen.kind === "review") {
    const unanswered = questions.filter(
      (q) => isAsked(q, answers) && answerOf(q, answers) === null,
    ).length;
    const last = previousAsked(questions.length - 1);
    return (
      <section className={styles.card}>
        {heading("You have reached the end")}
        <p>
          {unanswered === 0
            ? "You have answered every question."
            : `${unanswered} ${unanswered === 1 ? "question is" : "questions are"} not answered. You can go back, or send your answers as they are.`}
        </p>
        {errorBox}
        <div className={styles.navRow}>
          <BackButton onClick={() => setScreen({ kind: "question", index: last })} />
          <button
            type="button"
            className={styles.primary}
            onClick={() => void submit()}
            disabled={busy}
          >
            Send my answers
          </button>
        </div>
      </section>
    );
  }

  const index = screen.index;
  const question = questions[index]!;
  const { stem, text, choices } = questionText(question);
  const current = answerOf(question, answers);
  const asked = questions.filter((q) => isAsked(q, answers));
  const position = asked.indexOf(question) + 1;
  const previous = previousAsked(index - 1);
  return (
    <section className={styles.card} aria-labelledby="question-text">
      <div className={styles.progressRow}>
        <p className={styles.progressText}>
          Question {position} of {asked.length}
        </p>
        <progress
          className={styles.progress}
          max={asked.length}
          value={position - 1}
          aria-label={`Question ${position} of ${asked.length}`}
        />
      </div>
      <p className={styles.stem}>{stem}</p>
      <h1 id="question-text" ref={headingRef} tabIndex={-1} className={styles.question}>
        {text}
      </h1>
      <div className={styles.choices} role="group" aria-labelledby="question-text">
        {choices.map((choice) => (
          <button
            key={String(choice.value)}
            type="button"
            className={styles.choice}
            aria-pressed={current === choice.value}
            disabled={busy}
            onClick={() => void answer(index, choice)}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {errorBox}
      <div className={styles.navRow}>
        <BackButton
          onClick={() =>
            setScreen(previous < 0 ? { kind: "intro" } : { kind: "question", index: previous })
          }
        />
        <ReadAloud text={spokenText(question)} />
      </div>
    </section>
  );
}

function BackButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className={styles.secondary} onClick={onClick}>
      Back
    </button>
  );
}
