import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { AdminUser, AdminUserList, createUserSchema, updateUserSchema } from "@/lib/api/admin";
import { fetchJson } from "./fetch-json";

const KEY = ["admin-users"] as const;

/** Every account and site (administrators only). */
export function useAdminUsers(initialData?: AdminUserList) {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => fetchJson<AdminUserList>("/api/v1/admin/users", { signal }),
    initialData,
    staleTime: 30_000,
  });
}

/** Creates an account; refreshes the list. */
export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof createUserSchema>) =>
      fetchJson<AdminUser>("/api/v1/admin/users", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** One action on an account (disable, enable, update, reset-password); refreshes the list. */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: z.input<typeof updateUserSchema> }) =>
      fetchJson<AdminUser>(`/api/v1/admin/users/${encodeURIComponent(id)}`, {
        method: "PATCH",
        body: action,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
