import type { ReactNode, SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement> & { title?: string };

const CIRCLE = <circle cx="12" cy="12" r="10" />;

/** A stroke down the centre line from `from` to `to`. */
function Bar({ from, to }: { from: number; to: number }) {
  return <line x1="12" y1={from} x2="12" y2={to} />;
}

/** A dot on the centre line: a stroke of no length, drawn by its round caps. */
function Dot({ at }: { at: number }) {
  return <line x1="12" y1={at} x2="12.01" y2={at} />;
}

/** An exclamation mark whose bar starts at `top`. */
function Mark({ top }: { top: number }) {
  return (
    <>
      <Bar from={top} to={top + 4} />
      <Dot at={top + 8} />
    </>
  );
}

/** The strokes of each icon on a 24 × 24 grid; the frame around them is the same for all. */
const SHAPES = {
  /** Octagon with an exclamation mark: critical. */
  critical: (
    <>
      <polygon points="7.86 2 16.14 2 22 7.86 22 16.14 16.14 22 7.86 22 2 16.14 2 7.86 7.86 2" />
      <Mark top={8} />
    </>
  ),
  /** Triangle with an exclamation mark: high. */
  high: (
    <>
      <path d="M10.29 3.86 1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z" />
      <Mark top={9} />
    </>
  ),
  /** Circle with an exclamation mark: moderate. */
  moderate: (
    <>
      {CIRCLE}
      <Mark top={8} />
    </>
  ),
  /** Arrow down in a circle: low. */
  low: (
    <>
      {CIRCLE}
      <polyline points="8 12 12 16 16 12" />
      <Bar from={8} to={16} />
    </>
  ),
  /** "i" in a circle: info. */
  info: (
    <>
      {CIRCLE}
      <Bar from={16} to={12} />
      <Dot at={8} />
    </>
  ),
  /** A check in a circle: no flags / success. */
  check: (
    <>
      {CIRCLE}
      <polyline points="8 12.5 11 15.5 16 9.5" />
    </>
  ),
  /** An empty inbox: empty states. */
  inbox: (
    <>
      <polyline points="22 12 16 12 14 15 10 15 8 12 2 12" />
      <path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z" />
    </>
  ),
  /** Dashed circle: no data. */
  missing: (
    <>
      <circle cx="12" cy="12" r="10" strokeDasharray="3 3" />
      <line x1="8" y1="12" x2="16" y2="12" />
    </>
  ),
} satisfies Record<string, ReactNode>;

export type IconName = keyof typeof SHAPES;

/** A line icon: decorative (hidden from assistive technology) unless it has a `title`. */
export function Icon({ name, title, ...rest }: IconProps & { name: IconName }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? "img" : undefined}
      focusable="false"
      {...rest}
    >
      {title ? <title>{title}</title> : null}
      {SHAPES[name]}
    </svg>
  );
}

function named(name: IconName) {
  function NamedIcon(props: IconProps) {
    return <Icon {...props} name={name} />;
  }
  return NamedIcon;
}

// One component per icon, for the places that pass an icon as a component.
export const IconCritical = named("critical");
export const IconHigh = named("high");
export const IconModerate = named("moderate");
export const IconLow = named("low");
export const IconInfo = named("info");
export const IconCheck = named("check");
export const IconInbox = named("inbox");
export const IconMissing = named("missing");
