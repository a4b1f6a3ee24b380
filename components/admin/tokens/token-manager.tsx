"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import {
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
  TOKEN_SCOPE_LABEL,
  TOKEN_SCOPES,
  type ApiTokenItem,
  type IssuedToken,
  type TokenScope,
} from "@/lib/api/tokens";
import { DataTable } from "@/components/list-page/data-table";
import { fieldErrorMap } from "@/components/admin/users/users-admin.utils";
import { TextField } from "@/components/ui/field";
import { formatDateTime } from "@/lib/time-zone";

interface Site {
  id: string;
  code: string;
  name: string;
}

interface Problem {
  detail?: string;
  errors?: { path: string; message: string }[];
}

function formatWhen(iso: string | null, zone: string): string {
  return iso ? formatDateTime(iso, zone) : "—";
}

/** When a token ends, and how soon. */
function formatExpiry(iso: string | null, zone: string): string {
  if (!iso) return "—";
  const days = Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
  return days > 0
    ? `${formatDateTime(iso, zone)} (in ${days} day${days === 1 ? "" : "s"})`
    : formatDateTime(iso, zone);
}

async function send(
  url: string,
  body?: unknown,
): Promise<{ ok: true; json: unknown } | { ok: false; problem: Problem }> {
  const response = await fetch(url, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => ({}));
  return response.ok ? { ok: true, json } : { ok: false, problem: json as Problem };
}

/** Issue and revoke API tokens; the new token is shown once, with a copy button. */
export function TokenManager({
  initialTokens,
  sites,
  timeZone = "UTC",
}: {
  initialTokens: ApiTokenItem[];
  sites: Site[];
  /** The deployment's zone (DEFAULT_TIME_ZONE): a token belongs to no one site. */
  timeZone?: string;
}) {
  const router = useRouter();
  const [tokens, setTokens] = useState(initialTokens);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["fhir.read"]);
  const [siteIds, setSiteIds] = useState<string[]>(sites.length === 1 ? [sites[0]!.id] : []);
  const [expiresInDays, setExpiresInDays] = useState(String(DEFAULT_TOKEN_DAYS));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  function toggle<T>(list: T[], value: T): T[] {
    return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  }

  async function issue(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    setIssued(null);
    setCopied(false);
    const days = expiresInDays.trim() === "" ? null : Number(expiresInDays);
    const result = await send("/api/v1/admin/tokens", {
      name,
      scopes,
      siteIds,
      expiresInDays: days,
    });
    setBusy(false);
    if (!result.ok) {
      setErrors(fieldErrorMap(result.problem.errors ?? []));
      setMessage(result.problem.detail ?? "The token could not be issued.");
      return;
    }
    const created = result.json as IssuedToken;
    setIssued(created);
    setTokens((list) => [created.item, ...list]);
    setName("");
    router.refresh();
  }

  async function revoke(token: ApiTokenItem) {
    if (!window.confirm(`Revoke "${token.name}"? Systems using it stop working at once.`)) return;
    const result = await send(`/api/v1/admin/tokens/${token.id}/revoke`);
    if (!result.ok) {
      setMessage(result.problem.detail ?? "The token could not be revoked.");
      return;
    }
    const { item } = result.json as { item: ApiTokenItem };
    setTokens((list) => list.map((t) => (t.id === item.id ? item : t)));
    setMessage(`Revoked "${item.name}".`);
    router.refresh();
  }

  return (
    <>
      <section className="card" aria-labelledby="issue-token-title">
        <h2 id="issue-token-title">Issue a token</h2>
        <form onSubmit={(e) => void issue(e)} noValidate>
          <TextField
            label="Name"
            hint="The system that will use it, e.g. “Epic interface engine”."
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name ?? null}
            required
            maxLength={80}
          />
          <fieldset className="field">
            <legend>Scopes</legend>
            {TOKEN_SCOPES.map((scope) => (
              <label key={scope}>
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={() => setScopes((s) => toggle(s, scope))}
                />{" "}
                <code>{scope}</code>: {TOKEN_SCOPE_LABEL[scope]}
              </label>
            ))}
            {errors.scopes ? <span className="error">{errors.scopes}</span> : null}
          </fieldset>
          <fieldset className="field">
            <legend>Sites</legend>
            {sites.map((site) => (
              <label key={site.id}>
                <input
                  type="checkbox"
                  checked={siteIds.includes(site.id)}
                  onChange={() => setSiteIds((s) => toggle(s, site.id))}
                />{" "}
                {site.name} ({site.code})
              </label>
            ))}
            {errors.siteIds ? <span className="error">{errors.siteIds}</span> : null}
          </fieldset>
          <TextField
            label="Expires after (days)"
            hint={`Every token ends; leave empty for ${DEFAULT_TOKEN_DAYS} days (at most ${MAX_TOKEN_DAYS}).`}
            inputMode="numeric"
            value={expiresInDays}
            onChange={(e) => setExpiresInDays(e.target.value)}
            error={errors.expiresInDays ?? null}
          />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "Issuing…" : "Issue token"}
          </button>
        </form>
        {issued ? (
          <div
            className="alert alert-success"
            role="status"
            style={{ marginTop: "1rem", flexDirection: "column" }}
          >
            <strong>
              Token for “{issued.item.name}”: copy it now, it will not be shown again.
            </strong>
            <code data-testid="issued-token" style={{ wordBreak: "break-all" }}>
              {issued.token}
            </code>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                void navigator.clipboard?.writeText(issued.token).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy token"}
            </button>
          </div>
        ) : null}
        {message ? (
          <p role="status" className="muted" style={{ marginTop: "1rem" }}>
            {message}
          </p>
        ) : null}
      </section>

      <h2 style={{ marginTop: "1.5rem" }}>Tokens</h2>
      {tokens.length === 0 ? (
        <p className="muted">No tokens yet. Issue one above for each system that connects.</p>
      ) : (
        <DataTable
          caption="API tokens with their scopes, sites and use"
          columns={[
            "Name",
            "Prefix",
            "Scopes",
            "Sites",
            "Created",
            "Last used",
            "Expires",
            "State",
          ]}
          actions
        >
          {tokens.map((t) => {
            const expired = t.expiresAt !== null && new Date(t.expiresAt) <= new Date();
            return (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scopes.join(", ")}</td>
                <td>{t.sites.map((s) => s.code).join(", ")}</td>
                <td>
                  {formatWhen(t.createdAt, timeZone)}
                  {t.createdByEmail ? <span className="muted"> by {t.createdByEmail}</span> : null}
                </td>
                <td>{formatWhen(t.lastUsedAt, timeZone)}</td>
                <td>{formatExpiry(t.expiresAt, timeZone)}</td>
                <td>
                  {t.revokedAt
                    ? `Revoked ${formatWhen(t.revokedAt, timeZone)}`
                    : expired
                      ? "Expired"
                      : "Active"}
                </td>
                <td>
                  {t.revokedAt ? null : (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => void revoke(t)}
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
