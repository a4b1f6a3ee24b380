import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { MemFlag, PatientRows, Row } from "./bulk-simulate";

/*
 * Writing the bulk seed's rows: one INSERT … SELECT FROM json_to_recordset($1) per table and
 * batch, one parameter however many rows, the same statement on PGlite and PostgreSQL.
 */

/** Column name and SQL type, in insert order, per table. */
const COLUMNS = {
  visits: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["occurred_on", "date"],
    ["recorded_by", "uuid"],
    ["recorded_at", "timestamptz"],
    ["source", "text"],
  ],
  observations: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["visit_id", "uuid"],
    ["kind", "text"],
    ["effective", "date"],
    ["payload", "jsonb"],
    ["value_num", "double precision"],
    ["recorded_by", "uuid"],
    ["recorded_at", "timestamptz"],
  ],
  assessments: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["visit_id", "uuid"],
    ["as_of", "date"],
    ["ruleset_version", "text"],
    ["priority", "text"],
    ["result", "jsonb"],
    ["created_at", "timestamptz"],
    ["created_by", "uuid"],
  ],
  flags: [
    ["id", "uuid"],
    ["patient_id", "uuid"],
    ["code", "text"],
    ["severity", "text"],
    ["status", "text"],
    ["ruleset_version", "text"],
    ["opened_at", "timestamptz"],
    ["opened_assessment_id", "uuid"],
    ["last_assessment_id", "uuid"],
    ["due_on", "date"],
    ["assignee_id", "uuid"],
    ["acknowledged_at", "timestamptz"],
    ["acknowledged_by", "uuid"],
    ["snoozed_until", "date"],
    ["snooze_reason", "text"],
    ["resolved_at", "timestamptz"],
    ["resolved_by", "uuid"],
    ["resolution_code", "text"],
    ["resolution_note", "text"],
    ["version", "integer"],
    ["updated_at", "timestamptz"],
    ["updated_by", "uuid"],
  ],
  flag_events: [
    ["flag_id", "uuid"],
    ["patient_id", "uuid"],
    ["type", "text"],
    ["actor_id", "uuid"],
    ["at", "timestamptz"],
    ["data", "jsonb"],
  ],
  patient_state: [
    ["patient_id", "uuid"],
    ["site_id", "uuid"],
    ["priority", "text"],
    ["priority_rank", "smallint"],
    ["open_flag_codes", "text[]"],
    ["open_flag_count", "integer"],
    ["snoozed_flag_count", "integer"],
    ["snooze_wakes_on", "date"],
    ["oldest_open_flag_at", "timestamptz"],
    ["last_assessment_id", "uuid"],
    ["last_visit_on", "date"],
    ["updated_at", "timestamptz"],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

type Table = keyof typeof COLUMNS;

/**
 * One INSERT … SELECT FROM json_to_recordset: `rows` keyed by column name. A jsonb column's
 * documents travel as JSON strings, read as text and parsed once by the cast: read as jsonb, each
 * nested document would be taken apart by json_to_recordset and then parsed again.
 */
async function insertRows(
  db: Pick<Db, "execute">,
  table: Table,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = COLUMNS[table];
  const names = columns.map(([name]) => name).join(", ");
  const values = columns
    .map(([name, type]) => (type === "jsonb" ? `${name}::jsonb` : name))
    .join(", ");
  const definitions = columns
    .map(([name, type]) => `${name} ${type === "jsonb" ? "text" : type}`)
    .join(", ");
  const jsonb = columns.filter(([, type]) => type === "jsonb").map(([name]) => name);
  const encoded =
    jsonb.length === 0
      ? rows
      : rows.map((row) => {
          const out = { ...row };
          for (const name of jsonb)
            if (out[name] !== null && out[name] !== undefined)
              out[name] = JSON.stringify(out[name]);
          return out;
        });
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(values)} from json_to_recordset(${JSON.stringify(encoded)}::json) as x(${sql.raw(definitions)})`,
  );
}

function flagRow(f: MemFlag): Row {
  return {
    id: f.id,
    patient_id: f.patientId,
    code: f.code,
    severity: f.severity,
    status: f.status,
    ruleset_version: f.rulesetVersion,
    opened_at: f.openedAt,
    opened_assessment_id: f.openedAssessmentId,
    last_assessment_id: f.lastAssessmentId,
    due_on: f.dueOn,
    assignee_id: f.assigneeId,
    acknowledged_at: f.acknowledgedAt,
    acknowledged_by: f.acknowledgedBy,
    snoozed_until: f.snoozedUntil,
    snooze_reason: f.snoozeReason,
    resolved_at: f.resolvedAt,
    resolved_by: f.resolvedBy,
    resolution_code: f.resolutionCode,
    resolution_note: f.resolutionNote,
    version: f.version,
    updated_at: f.updatedAt,
    updated_by: f.updatedBy,
  };
}

/**
 * lz4 when the server has it (PostgreSQL 14+ built with it; PGlite is not): the assessments'
 * result documents are most of the bytes, and lz4 compresses them faster than pglz.
 */
export async function toastCompression(db: Db): Promise<"lz4" | null> {
  const result = await db.execute(
    sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
  );
  return (result as { rows: { lz4: boolean }[] }).rows[0]?.lz4 ? "lz4" : null;
}

/** Writes the rows of a batch of patients in one transaction, in foreign-key order. */
export async function writeBatch(
  db: Db,
  batch: readonly PatientRows[],
  compression: "lz4" | null,
): Promise<void> {
  if (batch.length === 0) return;
  const all = <K extends keyof PatientRows>(key: K) =>
    batch.flatMap((b) => b[key] as unknown as Row[]);
  await db.transaction(async (tx) => {
    // Seed data can be re-created: no need to wait for the WAL flush on each commit.
    await tx.execute(sql`set local synchronous_commit = off`);
    if (compression) await tx.execute(sql`set local default_toast_compression = lz4`);
    await insertRows(tx, "visits", all("visits"));
    await insertRows(tx, "observations", all("observations"));
    await insertRows(tx, "assessments", all("assessments"));
    await insertRows(
      tx,
      "flags",
      batch.flatMap((b) => b.flags.map(flagRow)),
    );
    await insertRows(
      tx,
      "flag_events",
      batch.flatMap((b) =>
        b.flagEvents.map((e) => ({
          flag_id: e.flagId,
          patient_id: b.patientId,
          type: e.type,
          actor_id: e.actorId,
          at: e.at,
          data: e.data,
        })),
      ),
    );
    await insertRows(
      tx,
      "patient_state",
      batch.flatMap((b) =>
        b.state
          ? [
              {
                patient_id: b.state.patientId,
                site_id: b.state.siteId,
                priority: b.state.priority,
                priority_rank: b.state.priorityRank,
                open_flag_codes: b.state.openFlagCodes,
                open_flag_count: b.state.openFlagCount,
                snoozed_flag_count: b.state.snoozedFlagCount,
                snooze_wakes_on: b.state.snoozeWakesOn,
                oldest_open_flag_at: b.state.oldestOpenFlagAt,
                last_assessment_id: b.state.lastAssessmentId,
                last_visit_on: b.state.lastVisitOn,
                updated_at: b.state.updatedAt,
              },
            ]
          : [],
      ),
    );
  });
}
