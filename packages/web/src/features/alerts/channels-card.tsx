/** The notification channels card: loads the saved settings and hands them to the form. */
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Card } from "../../components/ui/card";
import { Spinner } from "../../components/ui/spinner";
import { useAlertChannels } from "./alert-queries";
import { ChannelsForm } from "./channels-form";

export function ChannelsCard() {
  const channels = useAlertChannels();
  return (
    <Card title="Notification channels" description="Where your alerts are sent. Each firing and each resolution is one message per enabled channel.">
      {channels.isPending ? (
        <Spinner label="Loading channels…" />
      ) : channels.isError ? (
        <AlertBanner>Could not load your channels: {describeError(channels.error)}</AlertBanner>
      ) : (
        <ChannelsForm saved={channels.data} />
      )}
    </Card>
  );
}
