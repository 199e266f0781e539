import { describe, expect, it } from "vitest";
import { checkedSettingsList, parseHostPort, settingsList } from "../src/settings.ts";

const port = (entry: string) => {
  if (!/^\d+$/.test(entry)) throw new Error(`"${entry}" is not a port`);
  return Number(entry);
};

/** The entries and the issues one value gives, the issues collected as zod's refinement context would take them. */
function check(value: string) {
  const issues: { code: "custom"; message: string }[] = [];
  const entries = checkedSettingsList(port)(value, { addIssue: (issue) => issues.push(issue) });
  return { entries, issues };
}

describe("settingsList", () => {
  it("trims the entries and drops empty ones", () => {
    expect(settingsList(" a, b,,c ,")).toEqual(["a", "b", "c"]);
    expect(settingsList("")).toEqual([]);
  });
});

describe("checkedSettingsList", () => {
  it("keeps the entries as written when every one parses", () => {
    expect(check(" 80, 443,,")).toEqual({ entries: ["80", "443"], issues: [] });
    expect(check("")).toEqual({ entries: [], issues: [] });
  });

  it("reports every bad entry with its parser's message", () => {
    expect(check("80, http, 443, x:1").issues).toEqual([
      { code: "custom", message: '"http" is not a port' },
      { code: "custom", message: '"x:1" is not a port' },
    ]);
  });
});

describe("parseHostPort", () => {
  it("keeps the port as written, lower-cases the host and reads bracketed IPv6", () => {
    expect(parseHostPort("127.0.0.1:80", "HOSTS", "a.b")).toEqual({ hostname: "127.0.0.1", port: 80 });
    expect(parseHostPort("Media.Example.org", "HOSTS", "a.b")).toEqual({ hostname: "media.example.org", port: null });
    expect(parseHostPort("[::1]:9000", "HOSTS", "a.b")).toEqual({ hostname: "[::1]", port: 9000 });
  });

  it.each(["http://x/y", "a@b", "x?y", "two words", "host:notaport"])("refuses %j, naming the setting and an example", (entry) => {
    expect(() => parseHostPort(entry, "HOSTS", "cdn.example.org")).toThrow(
      `HOSTS entry "${entry}" is not a host[:port] (e.g. cdn.example.org).`,
    );
  });
});
