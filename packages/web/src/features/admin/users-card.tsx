/** The users table of the admin page: name, role, creation date, and deleting anyone but yourself. */
import type { User } from "@statusmonitor/protocol";
import { useMemo, useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ConfirmDialog } from "../../components/ui/confirm-dialog";
import { Icon } from "../../components/ui/icons";
import { Spinner } from "../../components/ui/spinner";
import { HeaderCell, ROW_HEADER, ScrollTable } from "../../components/ui/table";
import { formatDateTime } from "../../format/time";
import { useUser } from "../auth/auth-context";
import { sortUsers } from "./admin-text";
import { useDeleteUser, useUsers } from "./admin-queries";

export function UsersCard() {
  const me = useUser();
  const users = useUsers();
  const remove = useDeleteUser();
  const [target, setTarget] = useState<User | null>(null);
  const sorted = useMemo(() => sortUsers(users.data ?? []), [users.data]);

  return (
    <Card title="Users" description={users.data ? `${users.data.length} ${users.data.length === 1 ? "account" : "accounts"} on this hub.` : "Every account on this hub."}>
      {users.isPending && <Spinner label="Loading users…" className="py-6" />}
      {users.isError && (
        <AlertBanner>
          Could not load the users: {describeError(users.error)}{" "}
          <button type="button" onClick={() => void users.refetch()} className="font-medium underline underline-offset-2">
            Try again
          </button>
        </AlertBanner>
      )}
      {sorted.length > 0 && (
        <ScrollTable
          minWidth="32rem"
          bleed="card"
          banded
          head={
            <>
              <HeaderCell wide>Username</HeaderCell>
              <HeaderCell wide>Role</HeaderCell>
              <HeaderCell wide>Created</HeaderCell>
              <HeaderCell wide align="right">
                <span className="sr-only">Actions</span>
              </HeaderCell>
            </>
          }
        >
          {sorted.map((user) => (
            <tr key={user.id}>
              <th scope="row" className={`px-4 py-2.5 ${ROW_HEADER}`}>
                {user.username}
                {user.id === me.id && (
                  <Badge tone="blue" className="ml-2">
                    you
                  </Badge>
                )}
              </th>
              <td className="px-4 py-2.5">
                <Badge tone={user.role === "admin" ? "purple" : "gray"}>{user.role === "admin" ? "Administrator" : "User"}</Badge>
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap text-slate-700 tabular-nums dark:text-slate-300">
                <time dateTime={user.created_at}>{formatDateTime(user.created_at)}</time>
              </td>
              <td className="px-4 py-1.5 text-right">
                {user.id === me.id ? (
                  <span className="text-xs text-slate-500 dark:text-slate-400">—</span>
                ) : (
                  <Button variant="ghost" size="sm" aria-label={`Delete user ${user.username}`} onClick={() => setTarget(user)} className="hover:!bg-red-50 hover:!text-red-700 dark:hover:!bg-red-950 dark:hover:!text-red-300">
                    <Icon name="trash" className="size-4" />
                    Delete
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}

      <ConfirmDialog
        open={target !== null}
        title="Delete this user?"
        confirmLabel="Delete user"
        body={
          <>
            <p>
              <strong>{target?.username}</strong>
              {target?.role === "admin" ? " (an administrator)" : ""} is removed with everything they own: their agents and all their metrics, alert rules, events and
              notification settings. Their sessions end at once.
            </p>
            <p>This cannot be undone.</p>
          </>
        }
        onConfirm={() => remove.mutateAsync(target!.id)}
        onClose={() => setTarget(null)}
      />
    </Card>
  );
}
