/** Every partition of the newest sample in a table that scrolls sideways on phones. */
import type { DiskUsage } from "@statusmonitor/protocol";
import { formatBytes } from "../../format/bytes";
import { formatPercent } from "../../format/numbers";
import { UsageBar } from "./usage-bar";

const TH = "px-3 py-2 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-500 uppercase dark:text-slate-400";
const TD = "px-3 py-2 whitespace-nowrap";

export function DisksTable({ disks }: { disks: readonly DiskUsage[] }) {
  if (disks.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">The agent reports no partitions.</p>;
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="tabular w-full min-w-[44rem] text-sm text-slate-700 dark:text-slate-300">
        <caption className="sr-only">Partitions</caption>
        <thead className="border-b border-slate-200 dark:border-slate-800">
          <tr>
            <th scope="col" className={TH}>Mountpoint</th>
            <th scope="col" className={TH}>Device</th>
            <th scope="col" className={TH}>Type</th>
            <th scope="col" className={`${TH} text-right`}>Used %</th>
            <th scope="col" className={`${TH} w-40`}><span className="sr-only">Usage bar</span></th>
            <th scope="col" className={`${TH} text-right`}>Used</th>
            <th scope="col" className={`${TH} text-right`}>Free</th>
            <th scope="col" className={`${TH} text-right`}>Total</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {disks.map((disk) => (
            <tr key={disk.mountpoint}>
              <th scope="row" className={`${TD} text-left font-medium text-slate-900 dark:text-slate-100`}>{disk.mountpoint}</th>
              <td className={`${TD} max-w-48 truncate`} title={disk.device}>{disk.device ?? "—"}</td>
              <td className={TD}>{disk.fstype ?? "—"}</td>
              <td className={`${TD} text-right`}>{formatPercent(disk.used_percent)}</td>
              <td className={TD}>
                <UsageBar percent={disk.used_percent} label={`${disk.mountpoint} used`} />
              </td>
              <td className={`${TD} text-right`}>{formatBytes(disk.used)}</td>
              <td className={`${TD} text-right`}>{formatBytes(disk.free)}</td>
              <td className={`${TD} text-right`}>{formatBytes(disk.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
