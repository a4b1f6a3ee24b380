import { randomUUID } from "node:crypto";
import { and, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { cdsCards, cdsFeedback, cdsJwtIds, patients, sites } from "@/db/schema";
import type { CdsFeedbackRequest, CdsHookRequest } from "@/lib/api/cds";
import { AppError } from "@/lib/api/errors";
import { assess, RULESET_VERSION } from "@/lib/clinical";
import {
  assessInputFromPrefetch,
  cardsForAssessment,
  CDS_SERVICE_ID,
  fillTemplate,
  missingPrefetch,
  PREFETCH_TEMPLATES,
  unusableCard,
  type CdsCard,
  type IssuedCard,
  type PrefetchKey,
} from "@/lib/fhir";
import { recordAudit } from "./audit";
import type { Ctx } from "./context";
import { todayIso } from "./dates";
import { siteTimeZoneByCode } from "./sites";

/** How long one FHIR read from the EHR may take (the whole call should answer in about 500 ms). */
export const CDS_FETCH_TIMEOUT_MS = 3000;

/**
 * Records a client JWT id until its expiry; false when (iss, jti) was already seen (a replay).
 * Expired ids are deleted on the way, so the table stays small.
 */
export async function rememberJwtId(
  db: Db | Tx,
  iss: string,
  jti: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  await db.delete(cdsJwtIds).where(lt(cdsJwtIds.expiresAt, now));
  const inserted = await db
    .insert(cdsJwtIds)
    .values({ iss, jti, expiresAt })
    .onConflictDoNothing({ target: [cdsJwtIds.iss, cdsJwtIds.jti] })
    .returning({ jti: cdsJwtIds.jti });
  return inserted.length === 1;
}

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

/** A base URL as compared against an allow-list: trailing slashes do not matter. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * Reads what the prefetch lacks from the EHR's FHIR server with the token the EHR gave us. Any key
 * that cannot be read makes the whole call fail: the spec's 412, with the reason.
 */
async function fetchMissing(
  request: CdsHookRequest,
  base: string,
  missing: readonly PrefetchKey[],
  fetchImpl: FetchLike,
): Promise<{ values: Partial<Record<PrefetchKey, unknown>>; problems: string[] }> {
  const headers: Record<string, string> = { accept: "application/fhir+json" };
  if (request.fhirAuthorization?.access_token) {
    headers.authorization = `Bearer ${request.fhirAuthorization.access_token}`;
  }
  const values: Partial<Record<PrefetchKey, unknown>> = {};
  const problems: string[] = [];
  await Promise.all(
    missing.map(async (key) => {
      const url = `${base}/${fillTemplate(PREFETCH_TEMPLATES[key], request.context.patientId)}`;
      try {
        const response = await fetchImpl(url, {
          headers,
          signal: AbortSignal.timeout(CDS_FETCH_TIMEOUT_MS),
        });
        if (!response.ok) {
          problems.push(`the fhirServer refused the ${key} read (HTTP ${response.status})`);
          return;
        }
        const body: unknown = await response.json();
        if (key === "patient" && (body as { resourceType?: unknown })?.resourceType !== "Patient") {
          problems.push("the fhirServer did not return a Patient");
          return;
        }
        values[key] = body;
      } catch {
        problems.push(`the fhirServer could not be reached for the ${key}`);
      }
    }),
  );
  return { values, problems };
}

export type PatientViewResult =
  | { status: "ok"; cards: CdsCard[] }
  | { status: "precondition-failed"; missing: PrefetchKey[]; reason: string };

export interface PatientViewOptions {
  readonly clientIss: string;
  readonly baseUrl: string;
  /** The FHIR servers this client may name as fhirServer (CDS_CLIENTS fhirServers). */
  readonly fhirServers?: readonly string[];
  /** `<PUBLIC_URL>/smart/launch` when SMART_CLIENTS names the request's fhirServer. */
  readonly smartLaunchUrl?: string | null;
  readonly now?: Date;
  readonly fetchImpl?: FetchLike;
  readonly newUuid?: () => string;
}

/** Why the missing prefetch cannot be read from the request's fhirServer, or null if it can. */
function unusableFhirServer(request: CdsHookRequest, allowed: readonly string[]): string | null {
  if (!request.fhirServer) return "no fhirServer was given to fetch it from";
  const base = normalizeBaseUrl(request.fhirServer);
  if (!allowed.some((a) => normalizeBaseUrl(a) === base))
    return `the fhirServer ${base} is not on this client's allow-list (CDS_CLIENTS fhirServers), so it was not contacted`;
  return null;
}

/**
 * POST /cds-services/bone-brain-axis (patient-view): assess input from the prefetch, or from the
 * EHR's FHIR server for what is missing (only a server on the client's allow-list); when neither
 * gives the data, "precondition failed" (412) with the reason. Every card is stored (uuid → flag
 * code, ruleset and suggestion ids) so feedback can be traced; the call is audited without patient
 * data.
 */
export async function handlePatientView(
  db: Db,
  request: CdsHookRequest,
  options: PatientViewOptions,
): Promise<PatientViewResult> {
  const now = options.now ?? new Date();
  const newUuid = options.newUuid ?? randomUUID;
  const prefetch = request.prefetch ?? {};
  const missing = missingPrefetch(prefetch);
  const notUnderstood: string[] = [];
  let complete: Record<PrefetchKey, unknown> = {
    patient: prefetch.patient,
    observations: prefetch.observations,
    medications: prefetch.medications,
    conditions: prefetch.conditions,
  };
  if (missing.length) {
    const refused = unusableFhirServer(request, options.fhirServers ?? []);
    if (refused) return { status: "precondition-failed", missing, reason: refused };
    const base = normalizeBaseUrl(request.fhirServer!);
    const fetched = await fetchMissing(request, base, missing, options.fetchImpl ?? fetch);
    if (fetched.problems.length)
      return { status: "precondition-failed", missing, reason: fetched.problems.join("; ") };
    complete = { ...complete, ...fetched.values };
  }
  const read = await readAsOfSiteToday(db, complete, now);
  notUnderstood.push(...read.notUnderstood);

  let cards: IssuedCard[];
  let patientId: string | null = null;
  if (read.status === "unusable") {
    cards = [
      {
        card: unusableCard(read.reason, options.baseUrl, newUuid(), options.smartLaunchUrl),
        flagCode: null,
        suggestionIds: {},
      },
    ];
  } else {
    patientId = await matchPatient(db, read.patient.siteCode, read.patient.mrn);
    const assessment = assess(read.input);
    cards = cardsForAssessment(assessment, {
      baseUrl: options.baseUrl,
      patientLink: patientId
        ? { label: "Open in Bone–Brain Care", url: `${options.baseUrl}/patients/${patientId}` }
        : { label: "Find the patient in Bone–Brain Care", url: `${options.baseUrl}/patients` },
      notUnderstood,
      newUuid,
      ehrPatientReference: `Patient/${request.context.patientId}`,
      smartLaunchUrl: options.smartLaunchUrl ?? null,
    });
  }
  await db.transaction(async (tx) => {
    if (cards.length) {
      await tx.insert(cdsCards).values(
        cards.map((c) => ({
          uuid: c.card.uuid,
          serviceId: CDS_SERVICE_ID,
          flagCode: c.flagCode,
          rulesetVersion: RULESET_VERSION,
          patientId,
          suggestions: Object.keys(c.suggestionIds).length ? c.suggestionIds : null,
          issuedAt: now,
        })),
      );
    }
    await recordAudit(tx, null, {
      action: "cds.patient-view",
      actorEmail: `cds:${options.clientIss}`.slice(0, 300),
      patientId,
      entityType: "cds_service",
      entityId: CDS_SERVICE_ID,
      detail: {
        cards: cards.length,
        prefetch:
          missing.length === 0 ? "sent" : missing.length === 4 ? "fetched" : "partly fetched",
        notUnderstood: notUnderstood.length,
      },
    });
  });
  return { status: "ok", cards: cards.map((c) => c.card) };
}

/**
 * The prefetch read as of today at the patient's site (named by the MRN's identifier system), so
 * that a result dated today there is today's and not the future; a patient of no site of ours is
 * read as of the deployment's today (DEFAULT_TIME_ZONE).
 */
async function readAsOfSiteToday(
  db: Db,
  prefetch: Record<PrefetchKey, unknown>,
  now: Date,
): Promise<ReturnType<typeof assessInputFromPrefetch>> {
  const first = assessInputFromPrefetch(prefetch, todayIso(now));
  const siteCode = first.status === "unusable" ? null : first.patient.siteCode;
  const zone = siteCode ? await siteTimeZoneByCode(db, siteCode) : null;
  if (zone === null || first.status === "unusable") return first;
  const siteToday = todayIso(now, zone);
  return siteToday === first.input.asOf ? first : assessInputFromPrefetch(prefetch, siteToday);
}

/** Our patient with this site code and MRN (from our identifier system), else null. */
async function matchPatient(
  db: Db,
  siteCode: string | null,
  mrn: string | null,
): Promise<string | null> {
  if (!siteCode || !mrn) return null;
  const [row] = await db
    .select({ id: patients.id })
    .from(patients)
    .innerJoin(sites, eq(sites.id, patients.siteId))
    .where(and(eq(sites.code, siteCode), eq(patients.mrn, mrn)))
    .limit(1);
  return row?.id ?? null;
}

/**
 * POST /cds-services/{id}/feedback: stores each outcome with the flag code and ruleset version of
 * the card it answers (looked up from the issued cards; unknown cards are kept with neither).
 */
export async function recordCdsFeedback(
  db: Db,
  serviceId: string,
  body: CdsFeedbackRequest,
  clientIss: string,
  now: Date = new Date(),
): Promise<{ stored: number }> {
  const uuids = [...new Set(body.feedback.map((f) => f.card))];
  const issued = await db
    .select({
      uuid: cdsCards.uuid,
      flagCode: cdsCards.flagCode,
      rulesetVersion: cdsCards.rulesetVersion,
      patientId: cdsCards.patientId,
      suggestions: cdsCards.suggestions,
    })
    .from(cdsCards)
    .where(and(inArray(cdsCards.uuid, uuids), eq(cdsCards.serviceId, serviceId)));
  const byUuid = new Map(issued.map((c) => [c.uuid, c]));
  body.feedback.forEach((f, index) => {
    const accepted = f.acceptedSuggestions ?? [];
    if (accepted.length && f.outcome !== "accepted") {
      throw new AppError("bad-request", "Only an accepted outcome carries acceptedSuggestions.", {
        errors: [{ path: `feedback.${index}.acceptedSuggestions`, message: "must be absent" }],
      });
    }
    const card = byUuid.get(f.card);
    const known = (card?.suggestions ?? {}) as Record<string, string>;
    const unknown = card ? accepted.find((a) => !(a.id in known)) : undefined;
    if (unknown) {
      throw new AppError(
        "bad-request",
        `Suggestion ${unknown.id} is not one of the suggestions of card ${f.card}.`,
        { errors: [{ path: `feedback.${index}.acceptedSuggestions`, message: "unknown uuid" }] },
      );
    }
  });
  await db.transaction(async (tx) => {
    await tx.insert(cdsFeedback).values(
      body.feedback.map((f) => ({
        serviceId,
        cardUuid: f.card,
        outcome: f.outcome,
        overrideReason: f.overrideReason ?? null,
        acceptedSuggestions: f.acceptedSuggestions ?? null,
        outcomeTimestamp: new Date(f.outcomeTimestamp),
        flagCode: byUuid.get(f.card)?.flagCode ?? null,
        rulesetVersion: byUuid.get(f.card)?.rulesetVersion ?? null,
        clientIss,
        receivedAt: now,
      })),
    );
    await recordAudit(tx, null, {
      action: "cds.feedback",
      actorEmail: `cds:${clientIss}`.slice(0, 300),
      entityType: "cds_service",
      entityId: serviceId,
      detail: {
        entries: body.feedback.length,
        accepted: body.feedback.filter((f) => f.outcome === "accepted").length,
        overridden: body.feedback.filter((f) => f.outcome === "overridden").length,
        unknownCards: uuids.filter((u) => !byUuid.has(u)).length,
      },
    });
  });
  return { stored: body.feedback.length };
}

export interface CdsFeedbackCount {
  flagCode: string | null;
  rulesetVersion: string | null;
  accepted: number;
  overridden: number;
  /** Suggestions accepted with the accepted outcomes (acceptedSuggestions). */
  acceptedSuggestions: number;
}

/**
 * Accepted and overridden CDS card outcomes per flag code and ruleset version, with
 * outcomeTimestamp on `from`…`to` (inclusive calendar days, UTC). With `siteIds`, only cards about
 * patients of those sites count (cards for patients not matched to ours have no site). Aggregated in
 * SQL; no patient data.
 */
export async function cdsFeedbackCounts(
  ctx: Ctx,
  input: { from: string; to: string; siteIds?: readonly string[] },
): Promise<CdsFeedbackCount[]> {
  const from = new Date(`${input.from}T00:00:00Z`);
  const toExclusive = new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000);
  const conditions = [
    gte(cdsFeedback.outcomeTimestamp, from),
    lte(cdsFeedback.outcomeTimestamp, new Date(toExclusive.getTime() - 1)),
  ];
  const base = ctx.db
    .select({
      flagCode: cdsFeedback.flagCode,
      rulesetVersion: cdsFeedback.rulesetVersion,
      accepted: sql<number>`count(*) filter (where ${cdsFeedback.outcome} = 'accepted')::int`,
      overridden: sql<number>`count(*) filter (where ${cdsFeedback.outcome} = 'overridden')::int`,
      acceptedSuggestions: sql<number>`coalesce(sum(case when jsonb_typeof(${cdsFeedback.acceptedSuggestions}) = 'array' then jsonb_array_length(${cdsFeedback.acceptedSuggestions}) else 0 end), 0)::int`,
    })
    .from(cdsFeedback);
  const rows =
    input.siteIds !== undefined
      ? input.siteIds.length === 0
        ? []
        : await base
            .innerJoin(cdsCards, eq(cdsCards.uuid, cdsFeedback.cardUuid))
            .innerJoin(patients, eq(patients.id, cdsCards.patientId))
            .where(and(...conditions, inArray(patients.siteId, [...input.siteIds])))
            .groupBy(cdsFeedback.flagCode, cdsFeedback.rulesetVersion)
            .orderBy(cdsFeedback.flagCode, cdsFeedback.rulesetVersion)
      : await base
          .where(and(...conditions))
          .groupBy(cdsFeedback.flagCode, cdsFeedback.rulesetVersion)
          .orderBy(cdsFeedback.flagCode, cdsFeedback.rulesetVersion);
  return rows.map((r) => ({
    ...r,
    accepted: Number(r.accepted),
    overridden: Number(r.overridden),
    acceptedSuggestions: Number(r.acceptedSuggestions),
  }));
}
