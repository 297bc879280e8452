/**
 * What a consumer group does when the records it was to read next are gone (retention deleted them
 * while the group was away): move its committed offsets on to the oldest records left. Nobody can read
 * the deleted ones any more; without this the group would fail on the same offset forever.
 */
import { ListOffsetTimestamps, type Consumer } from "@platformatic/kafka";
import type { Logger } from "../../core/logger.js";

/** For the partitions `partitions` of this member: commits the oldest offset left where the group's is older. */
export async function commitPastDeletedRecords(o: { consumer: Consumer; topic: string; partitions: number[]; logger: Logger }): Promise<void> {
  const { consumer, topic, partitions, logger } = o;
  if (partitions.length === 0) return;
  const oldest = (await consumer.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.EARLIEST })).get(topic) ?? [];
  const committed = (await consumer.listCommittedOffsets({ topics: [{ topic, partitions }] })).get(topic) ?? [];
  const moves = partitions.flatMap((partition) => {
    const from = committed[partition];
    const to = oldest[partition];
    // -1: nothing committed; the group starts from the oldest record anyway.
    return from !== undefined && to !== undefined && from >= 0n && from < to ? [{ partition, from, to }] : [];
  });
  if (moves.length === 0) return;
  await consumer.commit({ offsets: moves.map(({ partition, to }) => ({ topic, partition, offset: to, leaderEpoch: -1 })) });
  for (const { partition, from, to } of moves) {
    logger.warn({ topic, group: consumer.groupId, partition, skipped: String(to - from) }, "records the group had not read were deleted (retention); reading on from the oldest left");
  }
}
