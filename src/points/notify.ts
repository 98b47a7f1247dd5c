import type { Services } from "../core/services.js";

type Status = "sent" | "closed" | "failed" | "unreachable";

/**
 * A private message to a member, on the platform given first when they are there, else on
 * any platform they can be reached on. "unreachable" when no running platform knows them.
 */
export async function messageMember(services: Services, memberId: string, text: string, prefer?: string): Promise<Status> {
  const accounts = await services.identity.accountsOf(memberId);
  const ordered = [...accounts.filter((a) => a.platform === prefer), ...accounts.filter((a) => a.platform !== prefer)];
  let status: Status = "unreachable";
  for (const account of ordered) {
    const messenger = account.platform === "discord" ? services.messengers.discord : account.platform === "slack" ? services.messengers.slack : undefined;
    if (!messenger) continue;
    status = await messenger.send(account.externalId, { text });
    if (status === "sent") return status;
  }
  return status;
}
