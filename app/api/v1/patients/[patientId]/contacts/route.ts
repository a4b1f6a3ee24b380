// GET /api/v1/patients/:patientId/contacts: the patient's contact log, newest first.
// POST /api/v1/patients/:patientId/contacts: logs a contact and sets the next one due → 201.
// Clinicians and the care team (patients.read) of the patient's site; audited.
import { createContactSchema } from "@/lib/api/contacts";
import { parseJsonBody } from "@/lib/api/problem";
import { withAuth } from "@/lib/auth/with-auth";
import { listContacts, logContact } from "@/lib/server/contacts";
import { otherMethods } from "@/lib/api/method-not-allowed";

export const GET = withAuth<{ patientId: string }>(
  "patients.read",
  async (_req, { ctx, params }) => {
    return Response.json(await listContacts(ctx, params.patientId), {
      headers: { "cache-control": "no-store" },
    });
  },
);

export const POST = withAuth<{ patientId: string }>(
  "patients.read",
  async (req, { ctx, params }) => {
    const body = await parseJsonBody(req, createContactSchema);
    const contact = await logContact(ctx, params.patientId, body);
    return Response.json(contact, { status: 201 });
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
