// GET /smart/jwks.json: the public keys of the SMART clients that authenticate with
// private_key_jwt, for the EHR's registration (JWKS URL). Public by design; never a private part.
import { smartClients } from "@/lib/auth/smart";
import { withoutAuth } from "@/lib/auth/with-auth";
import { publicJwk } from "@/lib/smart-clients";

export const dynamic = "force-dynamic";

export const GET = withoutAuth(() =>
  Promise.resolve(
    Response.json(
      {
        keys: smartClients()
          .filter((c) => c.privateKeyJwk)
          .map((c) => publicJwk(c.privateKeyJwk!)),
      },
      { headers: { "cache-control": "public, max-age=300" } },
    ),
  ),
);
