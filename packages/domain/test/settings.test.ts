import { describe, expect, it } from "vitest";
import { checkedSettingsList, settingsList } from "../src/settings.ts";

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
