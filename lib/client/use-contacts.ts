import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ContactItem, ContactList } from "@/lib/api/contacts";
import type { ContactKind, ContactOutcome } from "@/lib/api/contact-values";
import { fetchJson } from "./fetch-json";

export interface NewContact {
  kind: ContactKind;
  outcome: ContactOutcome;
  note?: string;
  nextDueOn?: string;
}

/** A patient's contact log, newest first. */
export function useContacts(patientId: string) {
  return useQuery({
    queryKey: ["contacts", patientId],
    queryFn: ({ signal }) =>
      fetchJson<ContactList>(`/api/v1/patients/${patientId}/contacts`, { signal }),
  });
}

/** Logs a contact; refreshes the log and the worklist (its last and next contact). */
export function useLogContact(patientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (contact: NewContact) =>
      fetchJson<ContactItem>(`/api/v1/patients/${patientId}/contacts`, {
        method: "POST",
        body: contact,
      }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ["contacts", patientId] }),
        client.invalidateQueries({ queryKey: ["worklist"] }),
      ]);
    },
  });
}
