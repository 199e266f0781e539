import { checkedSettingsList, settingsList } from "@bgr/domain";
import { z } from "zod";
import { parseTrustedHost, type CallbackPolicy } from "./callback-url.ts";

/** Where callbacks may go, as environment variables (servers check at submission, workers again at connect). */
export const callbackSettingsSchema = z.object({
  /** Ports callbacks may use on public hosts, comma-separated. */
  CALLBACK_ALLOWED_PORTS: z
    .string()
    .default("80,443")
    .transform((value) => settingsList(value).map(Number))
    .refine((ports) => ports.length > 0 && ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535), {
      message: "a comma-separated list of ports from 1 to 65535, e.g. 80,443",
    }),
  /**
   * `host[:port]` entries callbacks may reach although they are not public (an internal receiver).
   * Empty by default: callbacks go to public addresses only.
   */
  CALLBACK_TRUSTED_HOSTS: z.string().default("").transform(checkedSettingsList(parseTrustedHost)),
});

export function callbackPolicyOf(settings: z.infer<typeof callbackSettingsSchema>): CallbackPolicy {
  return { allowedPorts: settings.CALLBACK_ALLOWED_PORTS, trustedHosts: settings.CALLBACK_TRUSTED_HOSTS };
}
