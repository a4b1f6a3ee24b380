/*
 * Keyboard flow of the visit form: "next field" in paper order, treating a radio group as one
 * stop (its checked radio, else its first), as Tab does. Only fields count: buttons, links and
 * tooltips are skipped, so entry runs from answer to answer.
 */

const FIELDS =
  'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled)';

function isVisible(element: HTMLElement): boolean {
  if (element.closest("[hidden]")) return false;
  return element.getClientRects().length > 0 || element.offsetParent !== null;
}

/** The fields inside `root` in document order, one stop per radio group (as Tab stops at them). */
export function tabStops(root: ParentNode): HTMLElement[] {
  const all = Array.from(root.querySelectorAll<HTMLElement>(FIELDS)).filter(
    (el) => el.tabIndex >= 0 && isVisible(el),
  );
  const stops: HTMLElement[] = [];
  const seenGroups = new Set<string>();
  for (const element of all) {
    if (element instanceof HTMLInputElement && element.type === "radio" && element.name) {
      if (seenGroups.has(element.name)) continue;
      seenGroups.add(element.name);
      const group = all.filter(
        (el): el is HTMLInputElement =>
          el instanceof HTMLInputElement && el.type === "radio" && el.name === element.name,
      );
      stops.push(group.find((radio) => radio.checked) ?? element);
      continue;
    }
    stops.push(element);
  }
  return stops;
}

/** Focuses the first stop that follows `after` (an element or a container) in document order. */
export function focusNextStop(root: ParentNode, after: Element): boolean {
  const next = tabStops(root).find(
    (el) =>
      !after.contains(el) &&
      Boolean(after.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
  );
  if (!next) return false;
  next.focus();
  return true;
}

/** The radio to focus inside one radio group element: the checked one, else the first. */
export function focusRadioGroup(group: Element | null | undefined): boolean {
  if (!group) return false;
  const target =
    group.querySelector<HTMLInputElement>('input[type="radio"]:checked') ??
    group.querySelector<HTMLInputElement>('input[type="radio"]');
  if (!target) return false;
  target.focus();
  return true;
}
