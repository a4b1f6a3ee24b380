// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import { phq9Trend } from "@/components/charts/mood-trend.utils";
import { TrendChart } from "@/components/charts/trend-chart";

afterEach(cleanup);

it("draws the PHQ-9 line with bands and the reference line at a fixed size", () => {
  const model = phq9Trend([
    { effective: "2026-01-10", payload: { kind: "phq9", total: 8 }, enteredInError: null },
    { effective: "2026-05-01", payload: { kind: "phq9", total: 16 }, enteredInError: null },
  ]);
  const { container } = render(<TrendChart model={model} width={480} height={220} />);
  const svg = container.querySelector("svg");
  expect(svg).not.toBeNull();
  expect(container.querySelectorAll(".recharts-reference-area").length).toBe(5);
  expect(container.querySelectorAll(".recharts-reference-line").length).toBe(1);
  expect(
    container.querySelectorAll(".recharts-line-dot, .recharts-dot").length,
  ).toBeGreaterThanOrEqual(2);
});
