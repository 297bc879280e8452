/**
 * The event log card: filters kept in the address bar, a page of events refreshed every 10 s, paging,
 * a manual refresh and "Clear all".
 */
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ConfirmDialog } from "../../components/ui/confirm-dialog";
import { Icon } from "../../components/ui/icons";
import { Spinner } from "../../components/ui/spinner";
import { useAgents } from "../agents/agent-queries";
import { EVENTS_REFRESH_MS, useAlertEvents, useClearEvents } from "./alert-queries";
import { EventFiltersBar } from "./event-filters-bar";
import { filtersFromSearch, filtersToSearch, type EventFilters } from "./event-filters";
import { EventsTable } from "./events-table";
import { lastPageOffset } from "./pagination";
import { PaginationBar } from "./pagination-bar";

export function EventsCard() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const setFilters = (next: EventFilters) => setParams(filtersToSearch(next), { replace: true });
  const events = useAlertEvents(filters);
  const agents = useAgents();
  const clear = useClearEvents();
  const [confirming, setConfirming] = useState(false);
  const [cleared, setCleared] = useState<string | null>(null);

  // A page past the end (events cleared or expired meanwhile, an old link): go to the last one there is.
  const total = events.data?.total;
  const filtered = filters.agentId !== null || filters.metric !== null || filters.state !== null;
  const pastEnd = !events.isPlaceholderData && total !== undefined && filters.offset > 0 && filters.offset >= total;
  useEffect(() => {
    if (pastEnd) setParams(filtersToSearch({ ...filters, offset: lastPageOffset(total ?? 0, filters.limit) }), { replace: true });
  }, [pastEnd, total, filters, setParams]);

  const actions = (
    <>
      <Button size="sm" variant="secondary" busy={events.isFetching} onClick={() => void events.refetch()} title={`Also refreshes by itself every ${EVENTS_REFRESH_MS / 1000} s`}>
        {!events.isFetching && <Icon name="refresh" className="size-4" />}
        Refresh
      </Button>
      <Button size="sm" variant="secondary" disabled={total === 0 && !filtered} onClick={() => setConfirming(true)}>
        <Icon name="trash" className="size-4 text-red-600 dark:text-red-400" />
        Clear all
      </Button>
    </>
  );

  return (
    <Card title="Events" description={`Every firing and resolution with its delivery. Refreshes every ${EVENTS_REFRESH_MS / 1000} s.`} actions={actions}>
      <div className="space-y-3">
        {cleared && (
          <AlertBanner tone="success" onDismiss={() => setCleared(null)}>
            {cleared}
          </AlertBanner>
        )}
        <EventFiltersBar filters={filters} agents={agents.data} onChange={setFilters} />
        {events.isPending ? (
          <Spinner label="Loading events…" />
        ) : events.isError && !events.data ? (
          <AlertBanner>Could not load the events: {describeError(events.error)}</AlertBanner>
        ) : (
          <>
            {events.isError && <AlertBanner tone="warning">Could not refresh the events ({describeError(events.error)}); showing the last ones loaded.</AlertBanner>}
            <EventsTable events={events.data.items} now={events.dataUpdatedAt} filtered={filtered} />
            <PaginationBar total={events.data.total} limit={filters.limit} offset={filters.offset} onOffset={(offset) => setFilters({ ...filters, offset })} />
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Clear all events?"
        confirmLabel="Clear all events"
        body={<p>This removes every event in your log, whatever the filters. Messages still queued are sent anyway. Rules are not touched.</p>}
        onConfirm={async () => {
          const { removed } = await clear.mutateAsync();
          setCleared(`Removed ${removed.toLocaleString("en-US")} event${removed === 1 ? "" : "s"}.`);
        }}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}
