import type { Metadata } from "next";
import { TokenManager } from "@/components/admin/tokens/token-manager";
import { requirePage } from "@/lib/auth/with-auth";
import { listApiTokens } from "@/lib/server/api-tokens";
import { defaultTimeZone } from "@/lib/server/dates";
import { listSites } from "@/lib/server/users";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const ctx = await requirePage("tokens.manage");
  const [tokens, sites] = await Promise.all([listApiTokens(ctx), listSites(ctx.db)]);
  return (
    <>
      <div className="page-header">
        <h1>API tokens</h1>
        <p className="muted">
          Tokens let another system (an EHR, an integration engine) use the FHIR R4 endpoint at{" "}
          <code>/fhir/r4</code>. Each acts through its own service account, limited to the sites you
          choose; only a hash is stored, so the token is shown once.
        </p>
      </div>
      <TokenManager initialTokens={tokens} sites={sites} timeZone={defaultTimeZone()} />
    </>
  );
}
