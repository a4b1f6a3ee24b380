// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { liveAssessment, splitScores } from "@/components/visit/live-assessment";
import { LivePanel } from "@/components/visit/live-panel";
import { MoodSection } from "@/components/visit/mood-section";
import { emptyVisitForm, type VisitFormState } from "@/components/visit/visit-form.utils";

afterEach(cleanup);

function MoodHarness({ onChange }: { onChange?: (form: VisitFormState) => void }) {
  const [form, setForm] = useState(() => emptyVisitForm("2026-11-20"));
  return (
    <form>
      <MoodSection
        form={form}
        update={(change) =>
          setForm((f) => {
            const next = change(f);
            onChange?.(next);
            return next;
          })
        }
        errors={{}}
      />
    </form>
  );
}

function phq9Row(index: number): HTMLElement {
  const grid = screen.getByRole("group", { name: "PHQ-9 items" });
  const rows = within(grid).getAllByRole("radiogroup");
  const row = rows[index];
  if (!row) throw new Error(`no PHQ-9 row ${index}`);
  return row;
}

describe("PHQ-9 grid", () => {
  it("takes a digit, checks that answer and moves focus to the next item", () => {
    vi.useFakeTimers();
    let latest: VisitFormState | null = null;
    render(<MoodHarness onChange={(f) => (latest = f)} />);
    const first = within(phq9Row(0)).getByRole("radio", { name: /^0 Not at all/ });
    first.focus();
    fireEvent.keyDown(first, { key: "2" });
    act(() => {
      vi.runAllTimers();
    });
    expect(within(phq9Row(0)).getByRole("radio", { name: /^2 More than half/ })).toHaveProperty(
      "checked",
      true,
    );
    expect(phq9Row(1).contains(document.activeElement)).toBe(true);
    expect(latest!.phq9.slice(0, 2)).toEqual([2, null]);

    // Type the rest: 2 1 1 1 1 0 1 → item 9 = 1, total 10.
    for (const key of ["2", "1", "1", "1", "1", "1", "0", "1"]) {
      const active = document.activeElement;
      if (!(active instanceof HTMLElement)) throw new Error("focus lost");
      fireEvent.keyDown(active, { key });
      act(() => {
        vi.runAllTimers();
      });
    }
    expect(latest!.phq9).toEqual([2, 2, 1, 1, 1, 1, 1, 0, 1]);
    expect(screen.getByTestId("phq9-total").textContent).toContain("PHQ-9 total 10");
    expect(screen.getByTestId("phq9-total").textContent).toContain("moderate");
    // After item 9, focus moves on to the difficulty item.
    const difficulty = screen.getByRole("group", { name: "PHQ-9 difficulty" });
    expect(difficulty.contains(document.activeElement)).toBe(true);
    vi.useRealTimers();
  });

  it("ignores other keys and shows an incomplete running total", () => {
    render(<MoodHarness />);
    const radio = within(phq9Row(3)).getByRole("radio", { name: /^3 Nearly every day/ });
    fireEvent.click(radio);
    fireEvent.keyDown(radio, { key: "7" });
    expect(screen.getByTestId("phq9-total").textContent).toContain("1 of 9 answered");
  });

  it("GDS-15 takes y and n", () => {
    vi.useFakeTimers();
    let latest: VisitFormState | null = null;
    render(<MoodHarness onChange={(f) => (latest = f)} />);
    const grid = screen.getByRole("group", { name: "GDS-15 items" });
    const firstRow = within(grid).getAllByRole("radiogroup")[0]!;
    const yes = within(firstRow).getByRole("radio", { name: "Yes" });
    yes.focus();
    fireEvent.keyDown(yes, { key: "n" });
    act(() => {
      vi.runAllTimers();
    });
    fireEvent.keyDown(document.activeElement!, { key: "Y" });
    act(() => {
      vi.runAllTimers();
    });
    expect(latest!.gds15.slice(0, 3)).toEqual(["no", "yes", null]);
    vi.useRealTimers();
  });
});

describe("live panel", () => {
  const patient = { birthDate: "1950-11-20", sex: "female" as const, postmenopausal: true };

  it("shows the suicide-risk banner as an alert, in words, the moment item 9 is above 0", () => {
    const assessment = liveAssessment(
      patient,
      [],
      [{ kind: "phq9", effective: "2026-11-20", items: [0, 0, 0, 0, 0, 0, 0, 0, 1] }],
      "2026-11-20",
    );
    render(
      <LivePanel assessment={assessment} scores={null} item9={1} skipped={[]} today="2026-11-20" />,
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Suicide risk");
    expect(alert.textContent).toContain("Item 9 answered 1");
    expect(screen.getByText("Suicide risk: PHQ-9 item 9 positive")).toBeTruthy();
  });

  it("has no banner for item 9 = 0 and shows missing data as missing", () => {
    const assessment = liveAssessment(patient, [], [], "2026-11-20");
    render(
      <LivePanel
        assessment={assessment}
        scores={splitScores(patient, [], [], "2026-11-20")}
        item9={0}
        skipped={["25(OH)D: Must be at least 0"]}
        today="2026-11-20"
      />,
    );
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByText("No PHQ-9 on record")).toBeTruthy();
    expect(screen.getByText(/1 entry is incomplete/)).toBeTruthy();
    expect(screen.getByText("25(OH)D: Must be at least 0")).toBeTruthy();
    const tiles = screen.getByRole("list", { name: "This visit's results" });
    expect(within(tiles).getAllByText("not entered")).toHaveLength(5);
    expect(within(tiles).queryByText(/^last:/)).toBeNull();
  });

  it("shows the previous visit's result as 'last', dated, never as one of this visit", () => {
    const stored = [
      {
        effective: "2026-09-03",
        payload: {
          kind: "phq9" as const,
          effective: "2026-09-03",
          items: [2, 2, 2, 2, 1, 1, 1, 1, 0],
        },
        enteredInError: null,
      },
    ];
    const assessment = liveAssessment(patient, stored, [], "2026-11-20");
    const { rerender } = render(
      <LivePanel
        assessment={assessment}
        scores={splitScores(patient, stored, [], "2026-11-20")}
        item9={null}
        skipped={[]}
        today="2026-11-20"
      />,
    );
    const phq9 = within(screen.getByRole("list", { name: "This visit's results" }))
      .getByText("PHQ-9")
      .closest("li")!;
    expect(phq9.textContent).toContain("not entered");
    expect(phq9.textContent).toContain("last: PHQ-9 12 on 3 Sep 2026");
    expect(phq9.textContent).not.toMatch(/^PHQ-912/);
    const added = [
      { kind: "phq9" as const, effective: "2026-11-20", items: [1, 1, 1, 1, 1, 0, 0, 0, 0] },
    ];
    rerender(
      <LivePanel
        assessment={liveAssessment(patient, stored, added, "2026-11-20")}
        scores={splitScores(patient, stored, added, "2026-11-20")}
        item9={0}
        skipped={[]}
        today="2026-11-20"
      />,
    );
    expect(phq9.textContent).toContain("5");
    expect(phq9.textContent).toContain("last: PHQ-9 12 on 3 Sep 2026");
  });

  it("shows the bone–brain flag with its sources for PHQ-9 ≥ 10 and T −2.7", () => {
    const assessment = liveAssessment(
      patient,
      [
        {
          effective: "2026-06-02",
          payload: { kind: "bmd", effective: "2026-06-02", site: "femoral_neck", tScore: -2.7 },
          enteredInError: null,
        },
      ],
      [{ kind: "phq9", effective: "2026-11-20", items: [2, 2, 1, 1, 1, 1, 1, 0, 1] }],
      "2026-11-20",
    );
    expect(assessment?.flags.map((f) => f.code)).toContain("comorbidity.bone-brain");
    render(
      <LivePanel assessment={assessment} scores={null} item9={1} skipped={[]} today="2026-11-20" />,
    );
    const card = screen.getByRole("article", { name: "Depression and bone disease together" });
    const link = within(card).getAllByRole("link")[0]!;
    expect(link.getAttribute("href")).toMatch(/^\/evidence#/);
  });
});
