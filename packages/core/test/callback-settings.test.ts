import { describe, expect, it } from "vitest";
import { parseSettings } from "@bgr/domain";
import { callbackPolicyOf, callbackSettingsSchema } from "../src/callbacks/callback-settings.ts";

const readPolicy = (env: Record<string, string | undefined>) =>
  callbackPolicyOf(parseSettings(callbackSettingsSchema, env, "Invalid callback settings"));

describe("callbackSettingsSchema", () => {
  it("reads the allowed ports and the trusted hosts; unset means public hosts on 80 and 443", () => {
    expect(readPolicy({})).toEqual({ allowedPorts: [80, 443], trustedHosts: [] });
    expect(readPolicy({ CALLBACK_ALLOWED_PORTS: "443, 8443", CALLBACK_TRUSTED_HOSTS: "hooks.internal, 127.0.0.1:9000,," })).toEqual({
      allowedPorts: [443, 8443],
      trustedHosts: ["hooks.internal", "127.0.0.1:9000"],
    });
  });

  it("names every malformed trusted host at once", () => {
    const read = () => readPolicy({ CALLBACK_TRUSTED_HOSTS: "hooks.internal, http://x/y, a@b" });
    expect(read).toThrow(/CALLBACK_TRUSTED_HOSTS: CALLBACK_TRUSTED_HOSTS entry "http:\/\/x\/y" is not a host\[:port\]/);
    expect(read).toThrow(/CALLBACK_TRUSTED_HOSTS: CALLBACK_TRUSTED_HOSTS entry "a@b" is not a host\[:port\]/);
  });
});
