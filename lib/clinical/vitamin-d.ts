import type { VitaminDUnit } from "./constants";
import { fromTable } from "./format";
import { THRESHOLDS } from "./policy";

/*
 * 25-hydroxyvitamin D (docs/CLINICAL-RULES.md §5). Thresholds are in ng/mL and compared on the exact
 * converted value: nmol/L ÷ 2.496 is compared as a rational number, never after rounding, so that
 * 29.952 nmol/L is exactly 12 ng/mL and 29.95 nmol/L is below it.
 */

export type VitaminDBand =
  "deficient" | "inadequate" | "sufficient" | "bone-target" | "above-target" | "high" | "toxic";

export const VITAMIN_D_BANDS: readonly VitaminDBand[] = [
  "deficient",
  "inadequate",
  "sufficient",
  "bone-target",
  "above-target",
  "high",
  "toxic",
];

const NMOL_PER_NG = THRESHOLDS.vitaminD.nmolPerNg;
/** 2.496 as the exact fraction 2496 / 1000. */
const FACTOR_NUMERATOR = 2496n;
const FACTOR_DENOMINATOR = 1000n;

/** ng/mL of a 25(OH)D value in `unit` (nmol/L ÷ 2.496; IOM 2011 conversion). */
export function toNgPerMl(value: number, unit: VitaminDUnit): number {
  switch (unit) {
    case "ng/mL":
      return value;
    case "nmol/L":
      return value / NMOL_PER_NG;
    default: {
      const unreachable: never = unit;
      return unreachable;
    }
  }
}

/** nmol/L of a 25(OH)D value in `unit` (ng/mL × 2.496). */
export function toNmolPerL(value: number, unit: VitaminDUnit): number {
  switch (unit) {
    case "ng/mL":
      return value * NMOL_PER_NG;
    case "nmol/L":
      return value;
    default: {
      const unreachable: never = unit;
      return unreachable;
    }
  }
}

interface Decimal {
  readonly digits: bigint;
  /** value = digits × 10^(−scale) */
  readonly scale: number;
}

/** The decimal a person typed, recovered from a finite number's shortest round-trip text. */
function toDecimal(value: number): Decimal {
  const text = String(value);
  const [mantissa = "0", exponentText] = text.split("e");
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const negative = mantissa.startsWith("-");
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const dot = unsigned.indexOf(".");
  const fraction = dot === -1 ? "" : unsigned.slice(dot + 1);
  const whole = dot === -1 ? unsigned : unsigned.slice(0, dot);
  const digits = BigInt(whole + fraction);
  return { digits: negative ? -digits : digits, scale: fraction.length - exponent };
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

function sign(value: bigint): -1 | 0 | 1 {
  return value > 0n ? 1 : value < 0n ? -1 : 0;
}

/**
 * Compares a 25(OH)D result with a threshold in ng/mL exactly: −1 below, 0 equal, 1 above. Values in
 * nmol/L are divided by 2.496 as a rational number (IOM 2011 conversion; never rounded first).
 */
export function compareVitaminD(
  value: number,
  unit: VitaminDUnit,
  thresholdNgPerMl: number,
): -1 | 0 | 1 {
  switch (unit) {
    case "ng/mL":
      return value < thresholdNgPerMl ? -1 : value > thresholdNgPerMl ? 1 : 0;
    case "nmol/L": {
      // Fast path: far from the threshold, floating point cannot get the side wrong.
      const ng = value / NMOL_PER_NG;
      const margin = 1e-9 * Math.max(1, Math.abs(thresholdNgPerMl));
      if (ng < thresholdNgPerMl - margin) return -1;
      if (ng > thresholdNgPerMl + margin) return 1;
      // value / 2.496 vs t  ⇔  value × 1000 vs t × 2496, on exact decimals.
      const a = toDecimal(value);
      const b = toDecimal(thresholdNgPerMl);
      const common = Math.max(a.scale, b.scale, 0);
      const left = a.digits * FACTOR_DENOMINATOR * pow10(common - a.scale);
      const right = b.digits * FACTOR_NUMERATOR * pow10(common - b.scale);
      return sign(left - right);
    }
    default: {
      const unreachable: never = unit;
      return unreachable;
    }
  }
}

/**
 * Band of a 25(OH)D result compared exactly (ng/mL thresholds: IOM 2011 < 12 deficient, 12–< 20
 * inadequate; BHOF 2022 bone target 30–50; IOM > 50 concern; UCSF > 100; Heaney 2008 > 150).
 */
export function vitaminDBandOf(value: number, unit: VitaminDUnit): VitaminDBand {
  const t = THRESHOLDS.vitaminD;
  if (compareVitaminD(value, unit, t.toxicAbove) > 0) return "toxic";
  if (compareVitaminD(value, unit, t.highAbove) > 0) return "high";
  if (compareVitaminD(value, unit, t.aboveTargetAbove) > 0) return "above-target";
  if (compareVitaminD(value, unit, t.boneTargetFrom) >= 0) return "bone-target";
  if (compareVitaminD(value, unit, t.sufficientFrom) >= 0) return "sufficient";
  if (compareVitaminD(value, unit, t.deficientBelow) >= 0) return "inadequate";
  return "deficient";
}

/** Band of a 25(OH)D value in ng/mL (IOM 2011, BHOF 2022, UCSF laboratory, Heaney 2008 thresholds). */
export function vitaminDBand(ngPerMl: number): VitaminDBand {
  return vitaminDBandOf(ngPerMl, "ng/mL");
}

/** Human label of a vitamin D band. */
export const vitaminDBandLabel = fromTable<VitaminDBand, string>({
  deficient: "at risk of deficiency (< 12 ng/mL)",
  inadequate: "at risk of inadequacy (12–< 20 ng/mL)",
  sufficient: "sufficient, below the bone target (20–< 30 ng/mL)",
  "bone-target": "within the bone target (30–50 ng/mL)",
  "above-target": "above target (> 50 ng/mL)",
  high: "high (> 100 ng/mL)",
  toxic: "potentially toxic (> 150 ng/mL)",
});
