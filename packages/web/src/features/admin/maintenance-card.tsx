/** The admin page's maintenance card: removing expired and revoked sign-in tokens from the database. */
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Icon } from "../../components/ui/icons";
import { cleanupMessage } from "./admin-text";
import { useCleanupTokens } from "./admin-queries";

export function MaintenanceCard() {
  const cleanup = useCleanupTokens();
  return (
    <Card title="Maintenance" description="Expired and revoked sessions and refresh tokens pile up in the database. Removing them signs nobody out.">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" busy={cleanup.isPending} onClick={() => cleanup.mutate()}>
          <Icon name="trash" className="size-4" />
          Clean up expired tokens
        </Button>
        {cleanup.isSuccess && (
          <AlertBanner tone="success" onDismiss={() => cleanup.reset()} className="min-w-0 flex-1">
            {cleanupMessage(cleanup.data.removed)}
          </AlertBanner>
        )}
        {cleanup.isError && (
          <AlertBanner onDismiss={() => cleanup.reset()} className="min-w-0 flex-1">
            {describeError(cleanup.error)}
          </AlertBanner>
        )}
      </div>
    </Card>
  );
}
