/**
 * What the topic reader relies on about @platformatic/kafka's consumer beyond its documented calls:
 * the shape of its read positions and assignments, and closing with `force` through its overloads.
 */
import type { Consumer } from "@platformatic/kafka";

/** The partitions of `topic` assigned to this member, or null while it has no assignment. */
export function ownedPartitions(consumer: Consumer, topic: string): Set<number> | null {
  if (!consumer.assignments) return null;
  return new Set(consumer.assignments.find((a) => a.topic === topic)?.partitions ?? []);
}

export function positionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** The partitions of `topic` among the client's `topic:partition` position keys. */
export function partitionsIn(positions: Map<string, bigint>, topic: string): number[] {
  const prefix = `${topic}:`;
  return [...positions.keys()].filter((key) => key.startsWith(prefix)).map((key) => Number(key.slice(prefix.length)));
}

/** Closes the consumer's streams, leaves the group and disconnects; resolves with the error instead of throwing. */
export function leaveAndClose(consumer: Consumer): Promise<Error | null> {
  // The promise form of close() is not reachable with `force` through the client's overloads.
  return new Promise((resolve) => consumer.close(true, (err) => resolve(err ?? null)));
}
