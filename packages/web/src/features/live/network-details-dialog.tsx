/** The network details dialog: speeds, totals, packets, errors and drops, throughput chart, and every interface. */
import type { NetworkStats } from "@statusmonitor/protocol";
import { Dialog } from "../../components/ui/dialog";
import { Icon } from "../../components/ui/icons";
import { CELL, FIGURE_CELL, HeaderCell, ROW_HEADER, ScrollTable } from "../../components/ui/table";
import { formatByteRate, formatBytes } from "../../format/bytes";
import { formatPerSecond } from "../../format/numbers";
import { DetailSection, DetailStat } from "./detail-stat";
import { LiveChart } from "./live-chart";
import type { LiveRates } from "./live-cards";
import { NETWORK_SERIES } from "./live-series";
import type { LiveSession } from "./live-session";

const formatRate = (value: number | null) => formatByteRate(value);
const count = (value: number | undefined) => (value === undefined ? "—" : value.toLocaleString());

export function NetworkDetailsDialog({ open, onClose, network, rates, live, spanMs, maxGapS }: { open: boolean; onClose: () => void; network: NetworkStats | undefined; rates: LiveRates; live: LiveSession; spanMs: number; maxGapS: number }) {
  const faults = [
    ["Errors in", network?.errin],
    ["Errors out", network?.errout],
    ["Drops in", network?.dropin],
    ["Drops out", network?.dropout],
  ] as const;
  const anyFault = faults.some(([, value]) => (value ?? 0) > 0);
  const interfaces = network?.interfaces ?? [];
  return (
    <Dialog open={open} onClose={onClose} title="Network details" icon={<Icon name="network" />} width="xl">
      <div className="space-y-5">
        <DetailSection title="Speed">
          <dl className="grid grid-cols-2 gap-2">
            <DetailStat label="Upload" value={formatByteRate(rates.upload)} hint={network?.packets_sent_per_s !== undefined ? `${formatPerSecond(network.packets_sent_per_s)} packets` : undefined} />
            <DetailStat label="Download" value={formatByteRate(rates.download)} hint={network?.packets_recv_per_s !== undefined ? `${formatPerSecond(network.packets_recv_per_s)} packets` : undefined} />
          </dl>
        </DetailSection>

        <DetailSection title="Since boot">
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <DetailStat label="Sent" value={formatBytes(network?.bytes_sent)} />
            <DetailStat label="Received" value={formatBytes(network?.bytes_recv)} />
            <DetailStat label="Packets sent" value={count(network?.packets_sent)} />
            <DetailStat label="Packets received" value={count(network?.packets_recv)} />
          </dl>
        </DetailSection>

        <DetailSection title="Errors and drops">
          {anyFault ? (
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {faults.map(([label, value]) => (
                <DetailStat key={label} label={label} value={<span className={(value ?? 0) > 0 ? "text-red-600 dark:text-red-400" : undefined}>{count(value)}</span>} />
              ))}
            </dl>
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">{faults.every(([, value]) => value === undefined) ? "The agent does not report errors or drops." : "No errors or drops since boot."}</p>
          )}
        </DetailSection>

        <DetailSection title="Throughput over the last minutes">
          <LiveChart live={live} series={NETWORK_SERIES} axis="bytes" format={formatRate} spanMs={spanMs} maxGapS={maxGapS} label="Upload and download speed over the last minutes" height={200} />
        </DetailSection>

        {interfaces.length > 0 && (
          <DetailSection title="Interfaces">
            <ScrollTable
              minWidth="46rem"
              caption="Network interfaces"
              bleed="dialog"
              figures
              head={
                <>
                  <HeaderCell>Interface</HeaderCell>
                  <HeaderCell align="right">Upload</HeaderCell>
                  <HeaderCell align="right">Download</HeaderCell>
                  <HeaderCell align="right">Sent</HeaderCell>
                  <HeaderCell align="right">Received</HeaderCell>
                  <HeaderCell align="right">Packets out / in</HeaderCell>
                  <HeaderCell align="right">Errors out / in</HeaderCell>
                  <HeaderCell align="right">Drops out / in</HeaderCell>
                </>
              }
            >
              {interfaces.map((nic) => (
                <tr key={nic.name}>
                  <th scope="row" className={`${CELL} ${ROW_HEADER}`}>
                    {nic.name}
                  </th>
                  <td className={FIGURE_CELL}>{formatByteRate(nic.bytes_sent_per_s)}</td>
                  <td className={FIGURE_CELL}>{formatByteRate(nic.bytes_recv_per_s)}</td>
                  <td className={FIGURE_CELL}>{formatBytes(nic.bytes_sent)}</td>
                  <td className={FIGURE_CELL}>{formatBytes(nic.bytes_recv)}</td>
                  <td className={FIGURE_CELL}>{`${count(nic.packets_sent)} / ${count(nic.packets_recv)}`}</td>
                  <td className={FIGURE_CELL}>{`${count(nic.errout)} / ${count(nic.errin)}`}</td>
                  <td className={FIGURE_CELL}>{`${count(nic.dropout)} / ${count(nic.dropin)}`}</td>
                </tr>
              ))}
            </ScrollTable>
          </DetailSection>
        )}

        <p className="text-xs text-slate-500 dark:text-slate-400">Totals count since the machine booted; speeds are per second between consecutive samples.</p>
      </div>
    </Dialog>
  );
}
