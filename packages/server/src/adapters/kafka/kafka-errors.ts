/** Telling the Kafka client's errors apart: a broker's protocol error by its id, or a broker that could not be reached. */
import { GenericError } from "@platformatic/kafka";

/** The error, or one of the attempts it gathers, is the broker's `apiId` (TOPIC_ALREADY_EXISTS, OFFSET_OUT_OF_RANGE…). */
export function hasProtocolError(err: unknown, apiId: string): boolean {
  return err instanceof Error && GenericError.isGenericError(err) && (err as GenericError).findBy("apiId", apiId) !== null;
}

/** Connection refused, reset or timed out: waiting helps, a new group member does not. */
export function isBrokerUnreachable(err: unknown): boolean {
  return err instanceof Error && GenericError.isGenericError(err) && (err as GenericError).findBy("code", "PLT_KFK_NETWORK") !== null;
}
