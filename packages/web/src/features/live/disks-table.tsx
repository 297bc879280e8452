/** Every partition of the newest sample in a table that scrolls sideways on phones. */
import type { DiskUsage } from "@statusmonitor/protocol";
import { CELL, FIGURE_CELL, HeaderCell, ROW_HEADER, ScrollTable } from "../../components/ui/table";
import { formatBytes } from "../../format/bytes";
import { formatPercent } from "../../format/numbers";
import { UsageBar } from "./usage-bar";

export function DisksTable({ disks }: { disks: readonly DiskUsage[] }) {
  if (disks.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">The agent reports no partitions.</p>;
  return (
    <ScrollTable
      minWidth="44rem"
      caption="Partitions"
      figures
      head={
        <>
          <HeaderCell>Mountpoint</HeaderCell>
          <HeaderCell>Device</HeaderCell>
          <HeaderCell>Type</HeaderCell>
          <HeaderCell align="right">Used %</HeaderCell>
          <HeaderCell className="w-40">
            <span className="sr-only">Usage bar</span>
          </HeaderCell>
          <HeaderCell align="right">Used</HeaderCell>
          <HeaderCell align="right">Free</HeaderCell>
          <HeaderCell align="right">Total</HeaderCell>
        </>
      }
    >
      {disks.map((disk) => (
        <tr key={disk.mountpoint}>
          <th scope="row" className={`${CELL} ${ROW_HEADER}`}>
            {disk.mountpoint}
          </th>
          <td className={`${CELL} max-w-48 truncate`} title={disk.device}>
            {disk.device ?? "—"}
          </td>
          <td className={CELL}>{disk.fstype ?? "—"}</td>
          <td className={FIGURE_CELL}>{formatPercent(disk.used_percent)}</td>
          <td className={CELL}>
            <UsageBar percent={disk.used_percent} label={`${disk.mountpoint} used`} />
          </td>
          <td className={FIGURE_CELL}>{formatBytes(disk.used)}</td>
          <td className={FIGURE_CELL}>{formatBytes(disk.free)}</td>
          <td className={FIGURE_CELL}>{formatBytes(disk.total)}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}
