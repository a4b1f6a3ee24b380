import "server-only";
import { problemResponse } from "@/lib/api/problem";
import type { LaunchOutcome } from "./smart";

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/**
 * The launch's answer: a 302 with its cookies, or, refused, a small page that says why to a
 * browser (plain HTML: it is shown inside the EHR's frame too, and needs no script) and
 * problem+json to any other client.
 */
export function launchResponse(outcome: LaunchOutcome, accept: string | null): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  for (const cookie of outcome.cookies) headers.append("set-cookie", cookie);
  if (outcome.kind === "redirect") {
    headers.set("location", outcome.location);
    return new Response(null, { status: 302, headers });
  }
  if (!accept?.includes("text/html")) {
    const problem = problemResponse(outcome.status, outcome.title, outcome.message);
    for (const cookie of outcome.cookies) problem.headers.append("set-cookie", cookie);
    problem.headers.set("cache-control", "no-store");
    return problem;
  }
  headers.set("content-type", "text/html; charset=utf-8");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(outcome.title)} — Bone–Brain Care</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.4rem}</style>
</head><body><main>
<h1>${escape(outcome.title)}</h1>
<p role="alert">${escape(outcome.message)}</p>
<p>Nothing was opened or changed. The refusal was recorded in the audit log.</p>
<p><a href="/signin">Sign in to Bone–Brain Care</a></p>
</main></body></html>`;
  return new Response(body, { status: outcome.status, headers });
}
