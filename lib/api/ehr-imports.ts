/**
 * What one import of a patient's record from an EHR brought (at a SMART launch): shown on the
 * patient page, so the clinician sees what came from which system and what was left out.
 */
export interface ImportCounts {
  /** Resources read from the EHR, by type. */
  readonly read: Readonly<Record<string, number>>;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Resources left out (not about this app's data, or not valid), with why in `problems`. */
  readonly notUsed: number;
  readonly problems: readonly string[];
}

/** One import as the patient page lists it. */
export interface EhrImportItem {
  readonly id: string;
  readonly source: string;
  readonly sourceName: string;
  readonly importedAt: string;
  readonly importedBy: string | null;
  readonly summary: ImportCounts;
}
