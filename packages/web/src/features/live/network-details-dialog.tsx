/** The network details dialog: speeds, totals, packets, errors and drops, throughput chart, and every interface. */
import type { NetworkStats } from "@statusmonitor/protocol";
import { Dialog } from "../../components/ui/dialog";
import { Icon } from "../../components/ui/icons";
import { formatByteRate, formatBytes } from "../../format/bytes";
import { formatPerSecond } from "../../format/numbers";
import { DetailSection, DetailStat } from "./detail-stat";
import { LiveChart } from "./live-chart";
import type { LiveRates } from "./live-cards";
import { NETWORK_SERIES } from "./live-series";
import type { LiveSession } from "./live-session";

const formatRate = (value: number | null) => formatByteRate(value);
const count = (value: number | undefined) => (value === undefined ? "—" : value.toLocaleString());
const TH = "px-3 py-2 text-right text-xs font-semibold tracking-wide whitespace-nowrap text-slate-500 uppercase first:text-left dark:text-slate-400";
const TD = "px-3 py-2 text-right whitespace-nowrap";

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
            <div className="-mx-5 overflow-x-auto px-5">
              <table className="tabular w-full min-w-[46rem] text-sm text-slate-700 dark:text-slate-300">
                <caption className="sr-only">Network interfaces</caption>
                <thead className="border-b border-slate-200 dark:border-slate-800">
                  <tr>
                    <th scope="col" className={TH}>Interface</th>
                    <th scope="col" className={TH}>Upload</th>
                    <th scope="col" className={TH}>Download</th>
                    <th scope="col" className={TH}>Sent</th>
                    <th scope="col" className={TH}>Received</th>
                    <th scope="col" className={TH}>Packets out / in</th>
                    <th scope="col" className={TH}>Errors out / in</th>
                    <th scope="col" className={TH}>Drops out / in</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                  {interfaces.map((nic) => (
                    <tr key={nic.name}>
                      <th scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap text-slate-900 dark:text-slate-100">{nic.name}</th>
                      <td className={TD}>{formatByteRate(nic.bytes_sent_per_s)}</td>
                      <td className={TD}>{formatByteRate(nic.bytes_recv_per_s)}</td>
                      <td className={TD}>{formatBytes(nic.bytes_sent)}</td>
                      <td className={TD}>{formatBytes(nic.bytes_recv)}</td>
                      <td className={TD}>{`${count(nic.packets_sent)} / ${count(nic.packets_recv)}`}</td>
                      <td className={TD}>{`${count(nic.errout)} / ${count(nic.errin)}`}</td>
                      <td className={TD}>{`${count(nic.dropout)} / ${count(nic.dropin)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </DetailSection>
        )}

        <p className="text-xs text-slate-500 dark:text-slate-400">Totals count since the machine booted; speeds are per second between consecutive samples.</p>
      </div>
    </Dialog>
  );
}
