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
