/** Where a user's notifications go: which of their channels are usable now, and sending one message to one of them. */
import type { ChannelName } from "@statusmonitor/protocol";
import type { SecretBox } from "../core/secret-box.js";
import type { DeliveryResult, NotificationChannel } from "./channels/channel.js";
import type { TelegramTarget } from "./channels/telegram.js";
import type { WebhookTarget } from "./channels/webhook.js";
import type { NotificationMessage } from "./messages.js";
import type { AlertStore, ChannelSettings } from "./ports.js";

export class UserChannels {
  constructor(
    private readonly o: {
      store: AlertStore;
      /** Null when the hub has no TELEGRAM_BOT_TOKEN. */
      telegram: NotificationChannel<TelegramTarget> | null;
      webhook: NotificationChannel<WebhookTarget>;
      secrets: SecretBox;
    },
  ) {}

  get telegramAvailable(): boolean {
    return this.o.telegram !== null;
  }

  /** The channels a message to this user would go to now: enabled, filled in, and (Telegram) configured on the hub. */
  enabled(settings: ChannelSettings): ChannelName[] {
    const names: ChannelName[] = [];
    if (this.o.telegram && settings.telegram.enabled && settings.telegram.chatId !== "") names.push("telegram");
    if (settings.webhook.enabled && settings.webhook.url !== "") names.push("webhook");
    return names;
  }

  async enabledFor(userId: number): Promise<ChannelName[]> {
    return this.enabled(await this.o.store.getChannels(userId));
  }

  /**
   * Sends through the user's current settings (so a chat id fixed during an outage is used for
   * the messages still queued); a channel disabled since the message was queued fails for good.
   */
  async send(userId: number, channel: ChannelName, message: NotificationMessage): Promise<DeliveryResult> {
    return this.sendWith(await this.o.store.getChannels(userId), channel, message);
  }

  /** Sends with the given settings (the test endpoint may try settings before they are saved). */
  async sendWith(settings: ChannelSettings, channel: ChannelName, message: NotificationMessage): Promise<DeliveryResult> {
    if (!this.enabled(settings).includes(channel)) {
      const why = channel === "telegram" && !this.o.telegram ? "the hub has no TELEGRAM_BOT_TOKEN" : `the ${channel} channel is disabled`;
      return { ok: false, retryable: false, error: why };
    }
    if (channel === "telegram") return this.o.telegram!.send(message, { chatId: settings.telegram.chatId });
    const { url, secretSealed } = settings.webhook;
    let secret: string | undefined;
    if (secretSealed !== null) {
      secret = this.o.secrets.open(secretSealed);
      // Sending unsigned would let the receiver accept a message it should verify: fail loudly instead.
      if (secret === undefined) return { ok: false, retryable: false, error: "the webhook secret cannot be read (SECRET_KEY changed?); save it again" };
    }
    return this.o.webhook.send(message, { url, secret });
  }
}
