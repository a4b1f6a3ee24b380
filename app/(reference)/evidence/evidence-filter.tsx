"use client";

import { useEffect, useState } from "react";

/**
 * Filters the evidence page's entries (elements with `data-search`) as you type; the page is fully
 * readable without it.
 */
export function EvidenceFilter() {
  const [q, setQ] = useState("");
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => {
    const needle = q.trim().toLowerCase();
    let count = 0;
    document.querySelectorAll<HTMLElement>("[data-search]").forEach((el) => {
      const match = !needle || (el.dataset.search ?? "").includes(needle);
      el.hidden = !match;
      if (match) count++;
    });
    setShown(needle ? count : null);
  }, [q]);
  return (
    <div className="field no-print" style={{ maxWidth: 480 }}>
      <label htmlFor="evidence-search">Search rules and sources</label>
      <input
        id="evidence-search"
        className="input"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="e.g. PHQ-9, T-score, vitamin D, BHOF"
      />
      <span className="hint" aria-live="polite">
        {shown === null ? "" : `${shown} matching entr${shown === 1 ? "y" : "ies"}`}
      </span>
    </div>
  );
}
