// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChoiceField, SelectField, TextField } from "@/components/ui/field";
import { Icon, IconHigh } from "@/components/ui/icons";
import { DateField } from "@/components/visit/fields";
import { FracturesFallsSection } from "@/components/visit/fractures-falls-section";
import { liveAssessment, suicideBanner } from "@/components/visit/live-assessment";
import { MedicationsSection } from "@/components/visit/medications-section";
import { emptyVisitForm, type VisitFormState } from "@/components/visit/visit-form.utils";

afterEach(cleanup);

function describedBy(element: HTMLElement): string[] {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? `missing #${id}`);
}

describe("TextField", () => {
  it("labels the input and ties its hint and error to it", () => {
    render(<TextField label="Dose" hint="Per day." error="Required" unit="mg/day" />);
    const input = screen.getByLabelText("Dose");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toEqual(["Per day.", "Required"]);
    expect(screen.getByText("mg/day")).toBeTruthy();
  });

  it("has no aria-invalid or description when there is neither hint nor error", () => {
    render(<TextField label="MRN" className="narrow" />);
    const input = screen.getByLabelText("MRN");
    expect(input.hasAttribute("aria-invalid")).toBe(false);
    expect(input.hasAttribute("aria-describedby")).toBe(false);
    expect(input.className).toBe("input");
    expect(input.closest(".field")?.className).toBe("field narrow");
  });
});

describe("SelectField", () => {
  it("offers the placeholder first, then the options, and reports a change", () => {
    const onChange = vi.fn<(value: string) => void>();
    render(
      <SelectField
        label="Site"
        value=""
        onChange={(e) => onChange(e.target.value)}
        placeholder="Choose a site"
        options={[
          { value: "a", label: "A · North" },
          { value: "b", label: "B · South" },
        ]}
        error="Choose the site"
      />,
    );
    const select = screen.getByLabelText("Site");
    expect(
      within(select)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose a site", "A · North", "B · South"]);
    expect(describedBy(select)).toEqual(["Choose the site"]);
    fireEvent.change(select, { target: { value: "b" } });
    expect(onChange).toHaveBeenCalledWith("b");
  });
});

describe("ChoiceField", () => {
  it("is one radio group under its legend, with the error describing the fieldset", () => {
    const onChange = vi.fn();
    render(
      <ChoiceField<boolean | null>
        legend="Injurious?"
        data-field="falls.injurious"
        options={[
          { value: true, label: "Yes" },
          { value: false, label: "No" },
          { value: null, label: "Not asked" },
        ]}
        value={null}
        onChange={onChange}
        error="Answer it"
      />,
    );
    const group = screen.getByRole("group", { name: "Injurious?" });
    const radios = within(group).getAllByRole("radio");
    expect(new Set(radios.map((r) => r.getAttribute("name"))).size).toBe(1);
    expect(radios.map((r) => r.getAttribute("data-field"))).toEqual([
      "falls.injurious",
      "falls.injurious",
      "falls.injurious",
    ]);
    expect(within(group).getByLabelText("Not asked")).toHaveProperty("checked", true);
    expect(describedBy(group)).toEqual(["Answer it"]);
    fireEvent.click(within(group).getByLabelText("No"));
    expect(onChange).toHaveBeenCalledWith(false);
  });
});

describe("icons", () => {
  it("are hidden from assistive technology unless titled", () => {
    const { container } = render(
      <>
        <IconHigh />
        <Icon name="check" title="Saved" />
      </>,
    );
    const [plain, titled] = Array.from(container.querySelectorAll("svg"));
    expect(plain?.getAttribute("aria-hidden")).toBe("true");
    expect(plain?.querySelectorAll("line")).toHaveLength(2);
    expect(titled?.getAttribute("role")).toBe("img");
    expect(titled?.querySelector("title")?.textContent).toBe("Saved");
  });
});

function SectionHarness({
  Section,
  onChange,
}: {
  Section: typeof FracturesFallsSection;
  onChange: (form: VisitFormState) => void;
}) {
  const [form, setForm] = useState(() => emptyVisitForm("2026-11-20"));
  return (
    <Section
      form={form}
      update={(change) =>
        setForm((f) => {
          const next = change(f);
          onChange(next);
          return next;
        })
      }
      errors={{}}
      maxDate="2026-11-20"
    />
  );
}

describe("row lists", () => {
  it("add, edit and remove fracture rows", () => {
    let latest = emptyVisitForm("2026-11-20");
    render(<SectionHarness Section={FracturesFallsSection} onChange={(f) => (latest = f)} />);
    expect(screen.getByText("No fracture entered at this visit.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add fracture" }));
    fireEvent.click(screen.getByRole("button", { name: "Add fracture" }));
    const second = screen.getByRole("group", { name: "Fracture 2" });
    const date = within(second).getByLabelText("Date of fracture");
    // One text field, day first: what it understood is shown beside it.
    expect(date.getAttribute("type")).toBe("text");
    fireEvent.change(date, { target: { value: "1/3/2026" } });
    expect(latest.fractures.map((r) => r.effective)).toEqual(["", "2026-03-01"]);
    expect(describedBy(date)[0]).toBe("= 1 Mar 2026");
    expect((date as HTMLInputElement).value).toBe("1/3/2026");
    expect(date.getAttribute("data-field")).toBe(`fractures.${latest.fractures[1]?.id}.effective`);
    fireEvent.click(screen.getByRole("button", { name: "Remove fracture 1" }));
    expect(latest.fractures.map((r) => r.effective)).toEqual(["2026-03-01"]);
    expect(screen.queryByRole("group", { name: "Fracture 2" })).toBeNull();
  });

  it("set a medication's class from a known name and keep its dose under its own key", () => {
    let latest = emptyVisitForm("2026-11-20");
    render(<SectionHarness Section={MedicationsSection} onChange={(f) => (latest = f)} />);
    fireEvent.click(screen.getByRole("button", { name: "Add medication" }));
    fireEvent.change(screen.getByLabelText("Drug name"), { target: { value: "prednisolone" } });
    expect(latest.medications[0]?.medicationClass).toBe("glucocorticoid");
    const dose = screen.getByLabelText("Dose (prednisolone-equivalent)");
    fireEvent.change(dose, { target: { value: "7,5" } });
    expect(latest.medications[0]?.doseMgPerDay).toBe("7,5");
    expect(dose.getAttribute("data-field")).toBe(`medications.${latest.medications[0]?.id}.dose`);
  });
});

describe("DateField", () => {
  function Harness({ onValue }: { onValue: (value: string) => void }) {
    const [value, setValue] = useState("");
    return (
      <DateField
        label="DXA date"
        today="2026-12-06"
        data-field="bmd.effective"
        value={value}
        error={value !== "" && !/^\d{4}/.test(value) ? "Not a date" : undefined}
        onValue={(next) => {
          setValue(next);
          onValue(next);
        }}
      />
    );
  }

  it("holds the date once it is one, the text while it is not, nothing when empty", () => {
    const onValue = vi.fn<(value: string) => void>();
    render(<Harness onValue={onValue} />);
    const input = screen.getByLabelText<HTMLInputElement>("DXA date");
    expect(describedBy(input).join(" ")).toContain("Day first: 6/12/2026 is 6 Dec 2026");
    for (const [typed, held, shown] of [
      ["6/12/2026", "2026-12-06", "= 6 Dec 2026"],
      ["2026-12-06", "2026-12-06", "= 6 Dec 2026"],
      ["6 Dec 2026", "2026-12-06", ""],
      ["t", "2026-12-06", "= 6 Dec 2026"],
      ["t-30", "2026-11-06", "= 6 Nov 2026"],
      ["31/4/2026", "31/4/2026", ""],
      ["", "", ""],
    ] as const) {
      fireEvent.change(input, { target: { value: typed } });
      expect(onValue, typed).toHaveBeenLastCalledWith(held);
      expect(input.value, typed).toBe(typed);
      expect(describedBy(input)[0], typed).toBe(shown);
    }
    fireEvent.change(input, { target: { value: "6/13/2026" } });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toContain("Not a date");
  });

  it("shows a date set from outside in the clinic's format", () => {
    render(
      <DateField label="Visit date" today="2026-12-06" value="2026-12-05" onValue={() => {}} />,
    );
    expect(screen.getByLabelText<HTMLInputElement>("Visit date").value).toBe("5 Dec 2026");
  });
});

describe("suicideBanner", () => {
  it("shows for item 9 above 0 entered here, naming the answer", () => {
    expect(suicideBanner(null, 2)).toEqual({ show: true, item9: 2 });
    expect(suicideBanner(null, 0)).toEqual({ show: false, item9: null });
    expect(suicideBanner(null, null)).toEqual({ show: false, item9: null });
  });

  it("shows for a critical suicide-risk flag of the assessment, without naming an answer", () => {
    const assessment = liveAssessment(
      { birthDate: "1950-11-20", sex: "female", postmenopausal: true },
      [],
      [{ kind: "phq9", effective: "2026-11-20", items: [0, 0, 0, 0, 0, 0, 0, 0, 1] }],
      "2026-11-20",
    );
    expect(suicideBanner(assessment, null)).toEqual({ show: true, item9: null });
  });
});

describe("ChoiceField keys", () => {
  it("answers a yes / no question with y and n typed in the group", async () => {
    const { YesNoField } = await import("@/components/visit/fields");
    const onChange = vi.fn();
    render(<YesNoField legend="Unsteady?" value={null} onChange={onChange} />);
    const group = screen.getByRole("group", { name: "Unsteady?" });
    const radios = within(group).getAllByRole("radio");
    radios[2]!.focus();
    fireEvent.keyDown(radios[2]!, { key: "y" });
    expect(onChange).toHaveBeenLastCalledWith(true);
    expect(document.activeElement).toBe(radios[0]);
    fireEvent.keyDown(radios[0]!, { key: "N" });
    expect(onChange).toHaveBeenLastCalledWith(false);
    fireEvent.keyDown(radios[0]!, { key: "x" });
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});
