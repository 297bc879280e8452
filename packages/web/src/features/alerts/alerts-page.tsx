/** The alerts page: where notifications go (channels), what sends them (rules) and what happened (events). */
import { ChannelsCard } from "./channels-card";
import { EventsCard } from "./events-card";
import { RulesCard } from "./rules-card";

export function AlertsPage() {
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-slate-50">Alerts</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Rules watch your agents and send a message through Telegram or a webhook when they start firing and again when they resolve.
        </p>
      </header>
      <ChannelsCard />
      <RulesCard />
      <EventsCard />
    </div>
  );
}
