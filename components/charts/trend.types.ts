/** Plain, serializable description of a trend chart (shaped on the server, drawn in the browser). */

export interface TrendSeries {
  key: string;
  label: string;
  color: string;
  /** Dash pattern for telling series apart without colour. */
  dash?: string;
}

/** A shaded horizontal range (a band of an instrument or a category). */
export interface TrendBand {
  from: number;
  to: number;
  label: string;
  fill: string;
}

export interface TrendReference {
  y: number;
  label: string;
}

/** One x position: an ISO date, its day number (the x value) and a value per series key. */
export interface TrendPoint {
  date: string;
  day: number;
  values: Record<string, number | null>;
}

export interface TrendModel {
  id: string;
  title: string;
  /** Unit of the y axis ("points", "T-score", "ng/mL"). */
  unit: string;
  series: TrendSeries[];
  points: TrendPoint[];
  bands: TrendBand[];
  references: TrendReference[];
  yDomain: [number, number];
  /** Y-axis ticks at the meaningful boundaries. */
  ticks: number[];
  /** The shaded ranges in words ("0–4 minimal · 5–9 mild …"). */
  legend: string;
  /** One or two sentences for people who do not see the chart. */
  summary: string;
  /** Decimals shown in the table. */
  decimals: number;
}

/** The minimal stored-observation shape the chart shaping reads. */
export interface ChartObservation {
  effective: string;
  payload: { kind: string } & Record<string, unknown>;
  enteredInError: unknown;
}
