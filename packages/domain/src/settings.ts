/**
 * How every package's settings schema (a zod object over environment variable names) is applied: all
 * problems at once, one per line, each naming its variable. Typed structurally so that domain needs
 * no zod of its own.
 */
export interface SettingsSchema<T> {
  safeParse(
    source: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
}

/** `source`'s settings, or an Error titled `title` listing every invalid variable and why. */
export function parseSettings<T>(schema: SettingsSchema<T>, source: Record<string, string | undefined>, title: string): T {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new Error(`${title}:\n${parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n")}`);
}

/** Comma-separated entries, trimmed, empties dropped (`a, b,,` → `["a", "b"]`). */
export function settingsList(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Where a settings schema's refinement reports a problem: zod's refinement context, typed structurally. */
export interface SettingsIssues {
  addIssue(issue: { code: "custom"; message: string }): void;
}

/**
 * A zod transform for a `settingsList` whose every entry must pass `parse` (which throws an Error saying what
 * is wrong with it): the entries as written, and one issue per bad entry, with parse's message.
 */
export function checkedSettingsList(parse: (entry: string) => unknown) {
  return (value: string, issues: SettingsIssues): string[] => {
    const entries = settingsList(value);
    for (const entry of entries) {
      try {
        parse(entry);
      } catch (error) {
        issues.addIssue({ code: "custom", message: (error as Error).message });
      }
    }
    return entries;
  };
}

/** A `host` or `host:port` settings entry; port null where none was written. */
export interface HostPort {
  hostname: string;
  port: number | null;
}

/**
 * Parses one `host[:port]` entry of the setting `setting` (e.g. "hooks.internal", "127.0.0.1:8080",
 * "[::1]:9000"; the hostname lower-cased), or throws a message naming the setting, the entry and `example`.
 */
export function parseHostPort(entry: string, setting: string, example: string): HostPort {
  const problem = `${setting} entry "${entry}" is not a host[:port] (e.g. ${example}).`;
  if (/[/?#@\s]/.test(entry)) throw new Error(problem);
  let url: URL;
  try {
    url = new URL(`http://${entry}`);
  } catch {
    throw new Error(problem);
  }
  if (!url.hostname) throw new Error(problem);
  // `new URL` drops a port equal to http's default (80); keep the one written.
  const written = /:(\d+)$/.exec(entry)?.[1];
  return { hostname: url.hostname, port: written === undefined ? null : Number(written) };
}
