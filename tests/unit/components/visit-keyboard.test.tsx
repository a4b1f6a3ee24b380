// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VisitEntry } from "@/components/visit/visit-entry";
import { emptyVisitForm } from "@/components/visit/visit-form.utils";
import { NOT_ASSESSED, sectionContents } from "@/components/visit/visit-sections";

vi.mock("next/navigation", () => ({
  useRouter: () => ({ push: vi.fn(), replace: vi.fn(), back: vi.fn(), prefetch: vi.fn() }),
}));

const PATIENT = {
  id: "11111111-1111-4111-8111-111111111111",
  givenName: "Edith",
  familyName: "Keys",
  mrn: "K-1",
  siteCode: "NORTH",
  birthDate: "1950-03-14",
  sex: "female" as const,
  postmenopausal: true,
};

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn(() => new Promise<Response>(() => {}));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderForm() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <VisitEntry patient={PATIENT} initialObservations={[]} serverToday="2026-12-07" />
    </QueryClientProvider>,
  );
}

function posts(): number {
  return fetchMock.mock.calls.filter(([, init]) => (init as RequestInit)?.method === "POST").length;
}

describe("visit form keyboard", () => {
  it("opens with focus on PHQ-9 item 1", () => {
    renderForm();
    const first = screen
      .getByRole("group", { name: "PHQ-9 items" })
      .querySelector('[role="radiogroup"]');
    expect(first?.contains(document.activeElement)).toBe(true);
  });

  it("Enter moves to the next field and never saves, even on the last field", async () => {
    renderForm();
    const vitaminD = screen.getByLabelText("25(OH)D");
    fireEvent.change(vitaminD, { target: { value: "18" } });
    vitaminD.focus();
    fireEvent.keyDown(vitaminD, { key: "Enter" });
    expect(document.activeElement).not.toBe(vitaminD);
    const falls = screen.getByLabelText("Falls in the past 12 months");
    falls.focus();
    for (let i = 0; i < 10; i += 1) {
      const active = document.activeElement as HTMLElement;
      fireEvent.keyDown(active, { key: "Enter" });
      fireEvent.keyDown(active, { key: "Enter", shiftKey: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posts()).toBe(0);
  });

  it("Ctrl+Enter saves from any field", async () => {
    renderForm();
    const tScore = screen.getByLabelText("Femoral neck T-score");
    fireEvent.change(tScore, { target: { value: "-2.7" } });
    fireEvent.keyDown(tScore, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(posts()).toBe(1));
    const post = fetchMock.mock.calls.find(
      ([, init]) => (init as RequestInit | undefined)?.method === "POST",
    );
    const body = JSON.parse((post![1] as RequestInit).body as string) as {
      observations: { kind: string }[];
    };
    expect(body.observations.map((o) => o.kind)).toEqual(["bmd"]);
  });

  it("Cmd+Enter and the Save visit button save", async () => {
    renderForm();
    fireEvent.change(screen.getByLabelText("Femoral neck T-score"), {
      target: { value: "-1.1" },
    });
    fireEvent.keyDown(screen.getByLabelText("Total hip T-score"), { key: "Enter", metaKey: true });
    await waitFor(() => expect(posts()).toBe(1));
    fetchMock.mockClear();
    cleanup();
    renderForm();
    fireEvent.change(screen.getByLabelText("Femoral neck T-score"), {
      target: { value: "-1.1" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save visit" }));
    await waitFor(() => expect(posts()).toBe(1));
  });

  it("adding a fracture or a medication focuses the new row's first field", () => {
    renderForm();
    act(() => {
      fireEvent.click(screen.getByRole("button", { name: "Add fracture" }));
    });
    const fracture = screen.getByRole("group", { name: "Fracture 1" });
    expect(document.activeElement).toBe(within(fracture).getByLabelText("Site"));
    act(() => {
      fireEvent.click(screen.getByRole("button", { name: "Add medication" }));
    });
    const medication = screen.getByRole("group", { name: "Medication 1" });
    expect(document.activeElement).toBe(within(medication).getByLabelText("Drug name"));
  });

  it("Alt+Down jumps to the next section's first field", () => {
    renderForm();
    const tScore = screen.getByLabelText("Femoral neck T-score");
    tScore.focus();
    fireEvent.keyDown(tScore, { key: "ArrowDown", altKey: true });
    const frax = document.getElementById("section-frax-body");
    expect(frax?.contains(document.activeElement)).toBe(true);
  });

  it("marks untouched sections as not assessed in their headings", () => {
    renderForm();
    expect(screen.getAllByText(NOT_ASSESSED).length).toBe(6);
  });
});

describe("sectionContents", () => {
  it("is empty (not assessed) for every untouched section, never 'none'", () => {
    const contents = sectionContents(emptyVisitForm("2026-12-07"));
    expect(contents.map((s) => [s.id, s.entries])).toEqual([
      ["mood", []],
      ["bone", []],
      ["frax", []],
      ["vitd", []],
      ["fractures", []],
      ["meds", []],
    ]);
  });

  it("names each entry of a section in words", () => {
    const form = emptyVisitForm("2026-12-07");
    form.phq9 = [2, 2, 1, 1, 1, 1, 1, 0, 1];
    form.fractures = [{ id: "f1", site: "hip", effective: "2026-10-01", fragility: true }];
    form.medications = [
      {
        id: "m1",
        name: "alendronate",
        medicationClass: "bisphosphonate",
        doseMgPerDay: "",
        startedOn: "",
        stoppedOn: "",
      },
    ];
    const contents = Object.fromEntries(sectionContents(form).map((s) => [s.id, s.entries]));
    expect(contents.mood).toEqual([expect.stringMatching(/^PHQ-9: total 10 \(moderate\)/)]);
    expect(contents.fractures).toEqual([expect.stringMatching(/^Fracture: hip fracture on/)]);
    expect(contents.meds).toEqual([expect.stringMatching(/^Medication: alendronate/)]);
    expect(contents.bone).toEqual([]);
  });
});

describe("errors where they happen", () => {
  it("a field shows its problem when it is left, in red beside it, tied by aria-describedby", () => {
    renderForm();
    const tScore = screen.getByLabelText("Femoral neck T-score");
    fireEvent.change(tScore, { target: { value: "-12" } });
    expect(tScore.getAttribute("aria-invalid")).toBeNull();
    fireEvent.blur(tScore);
    expect(tScore.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(tScore.getAttribute("aria-describedby") ?? "");
    expect(message?.textContent).toMatch(/−7/);
    expect(message?.querySelector("svg")).not.toBeNull();
    // The live panel names the entry it could not use, and why.
    const panel = screen.getByRole("complementary", { name: "Live assessment" });
    expect(within(panel).getByText(/^Femoral neck DXA: /)).toBeTruthy();
    // No summary before a save is tried.
    expect(screen.queryByRole("region", { name: /Not saved/ })).toBeNull();
  });

  it("a key that is not an answer says why on its item", () => {
    renderForm();
    const grid = screen.getByRole("group", { name: "PHQ-9 items" });
    const item = within(grid).getAllByRole("radiogroup")[0]!;
    fireEvent.keyDown(within(item).getAllByRole("radio")[0]!, { key: "7" });
    expect(item.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(item.getAttribute("aria-describedby")!)?.textContent).toContain(
      "7 is not an answer here: type 0, 1, 2, 3.",
    );
  });

  it("a save with problems lists each as a link that moves focus to its field", () => {
    renderForm();
    fireEvent.change(screen.getByLabelText("Femoral neck T-score"), { target: { value: "-12" } });
    fireEvent.change(screen.getByLabelText("25(OH)D"), { target: { value: "-5" } });
    fireEvent.click(screen.getByRole("button", { name: "Save visit" }));
    expect(posts()).toBe(0);
    const summary = screen.getByRole("region", { name: /Not saved yet: 2 problems/ });
    const links = within(summary).getAllByRole("link");
    expect(links.map((l) => l.textContent)).toEqual([
      expect.stringMatching(/^Femoral neck T-score: /),
      expect.stringMatching(/^25\(OH\)D: /),
    ]);
    fireEvent.click(links[1]!);
    expect(document.activeElement).toBe(screen.getByLabelText("25(OH)D"));
    fireEvent.click(links[0]!);
    expect(document.activeElement).toBe(screen.getByLabelText("Femoral neck T-score"));
  });
});

describe("the live bar (phones and tablets)", () => {
  it("names the flag count, the highest priority and the suicide-risk state, and opens the panel", () => {
    renderForm();
    const bar = screen.getByRole("button", { name: /^Live assessment/ });
    expect(bar.getAttribute("aria-expanded")).toBe("false");
    expect(bar.textContent).toContain("No suicide risk entered");
    const item9 = screen
      .getByRole("group", { name: "PHQ-9 items" })
      .querySelectorAll('[role="radiogroup"]')[8]!;
    fireEvent.click(within(item9 as HTMLElement).getAllByRole("radio")[2]!);
    expect(bar.textContent).toMatch(/\d+ flags?/);
    expect(bar.textContent).toContain("Suicide risk");
    fireEvent.click(bar);
    expect(bar.getAttribute("aria-expanded")).toBe("true");
    expect(document.getElementById("live-panel-sheet")?.className).toMatch(/sheetOpen/);
  });
});
