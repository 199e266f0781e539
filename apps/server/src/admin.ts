/**
 * Admin CLI: `pnpm admin <command>`, against DATABASE_URL or the embedded database under DATA_DIR
 * (through the running server's embedded PostgreSQL when it is up).
 *   create-user <userId> [--email E] [--role user|admin] [--credits N]
 *   token <userId> [--days N]          print a platform-style access token
 *   grant <userId> <credits>           add credits (ledger row "grant")
 *   api-key <userId> [--name N] [--scopes S,S] [--tier T]  create an API key (shown once); S: removal,billing,keys
 *                                      (default removal); T: its default tier (remove.bg API)
 *   api-keys <userId>                  list the user's keys: id, prefix, name, scopes, created, last used, revoked
 *   revoke-api-key <userId> <keyId>    revoke a key at once
 *   balance <userId>                   balance and the last ledger rows
 *   confirm-payment <paymentId>        mark a subscription payment paid (the subscription starts or renews)
 *   fail-payment <paymentId> [--reason R]  mark a subscription payment failed
 *   subscription <userId>              the user's plan, today's quota and any pending payment (JSON)
 */
import { parseArgs } from "node:util";
import {
  ApiKeyService,
  developmentSecret,
  issueAccessToken,
  TaskQueue,
  ManualPaymentProvider,
  SubscriptionService,
  UsersService,
} from "@bgr/core";
import { USER_ROLES, type UserRole } from "@bgr/db";
import { API_KEY_SCOPES, TIER_NAMES } from "@bgr/domain";
import { openDatabase } from "@bgr/runtime";
import { readEnv } from "./env.ts";

const USAGE = `usage: pnpm admin create-user <userId> [--email E] [--role user|admin] [--credits N]
       pnpm admin token <userId> [--days N]
       pnpm admin grant <userId> <credits>
       pnpm admin api-key <userId> [--name NAME] [--scopes removal,billing,keys] [--tier ${TIER_NAMES.join("|")}]
       pnpm admin api-keys <userId>
       pnpm admin revoke-api-key <userId> <keyId>
       pnpm admin balance <userId>
       pnpm admin confirm-payment <paymentId>
       pnpm admin fail-payment <paymentId> [--reason TEXT]
       pnpm admin subscription <userId>`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    role: { type: "string" },
    credits: { type: "string" },
    days: { type: "string" },
    name: { type: "string" },
    reason: { type: "string" },
    tier: { type: "string" },
    scopes: { type: "string" },
  },
});
const [command, userId, amount] = positionals;
if (!command || !userId) {
  console.error(USAGE);
  process.exit(2);
}

const env = readEnv();
const tokenClaims = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
const { database, databaseUrl, close } = await openDatabase(env, {
  applicationName: "bgr-admin",
  embedded: { mode: "join-or-start" },
  maxConnections: 2,
});
// A confirmed payment queues its "payment received" mail, which a running server sends.
const queue = await TaskQueue.start({ connectionString: databaseUrl, expireInSeconds: env.QUEUE_EXPIRE_SECONDS });
try {
  const users = new UsersService(database.db);
  const apiKeys = new ApiKeyService(database.db, () => new Date());
  const subscriptions = new SubscriptionService({
    db: database.db,
    queue,
    provider: new ManualPaymentProvider(env.PAYMENT_WEBHOOK_SECRET ?? null),
    now: () => new Date(),
    quotaTimeZone: env.QUOTA_TIMEZONE,
  });
  const wholeNumber = (value: string | undefined, what: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got "${value}".`);
    return n;
  };
  switch (command) {
    case "create-user": {
      const role = (values.role ?? "user") as UserRole;
      if (!USER_ROLES.includes(role)) throw new Error(`--role must be one of ${USER_ROLES.join(", ")}.`);
      await users.ensure(userId, role, values.email ?? null);
      const credits = wholeNumber(values.credits ?? "0", "--credits");
      if (credits > 0) await users.grant(userId, credits);
      const account = await users.account(userId);
      console.log(`user ${account.userId} (${account.role}), ${account.creditBalance} credits`);
      console.log(
        `token: ${await issueAccessToken(userId, role, env.JWT_SECRET ?? (await developmentSecret(env.DATA_DIR)), undefined, tokenClaims)}`,
      );
      break;
    }
    case "token": {
      const account = await users.account(userId);
      const days = wholeNumber(values.days ?? "30", "--days");
      console.log(
        await issueAccessToken(userId, account.role, env.JWT_SECRET ?? (await developmentSecret(env.DATA_DIR)), days * 86400, tokenClaims),
      );
      break;
    }
    case "grant":
      console.log(`balance: ${await users.grant(userId, wholeNumber(amount, "credits"))}`);
      break;
    case "api-key": {
      await users.ensure(userId);
      // The operator acts for the user with every scope; the key gets only those named.
      const key = await apiKeys.create(
        { userId, scopes: API_KEY_SCOPES },
        {
          name: values.name ?? "api key",
          ...(values.scopes === undefined ? {} : { scopes: values.scopes.split(",").map((s) => s.trim()) }),
          ...(values.tier === undefined ? {} : { defaultTier: values.tier }),
        },
      );
      console.log(`api key ${key.id} (${key.prefix}…, scopes ${key.scopes.join(",")}), shown once:\n${key.key}`);
      break;
    }
    case "api-keys":
      for (const key of await apiKeys.list(userId)) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : "active";
        console.log(
          `${key.id}  ${key.prefix}…  ${key.name}  scopes=${key.scopes.join(",")}  created ${key.createdAt}  last used ${key.lastUsedAt ?? "never"}  ${state}`,
        );
      }
      break;
    case "revoke-api-key": {
      // The third positional is the key id here.
      const key = await apiKeys.revoke(userId, amount ?? "");
      console.log(`api key ${key.id} (${key.prefix}…) revoked ${key.revokedAt}`);
      break;
    }
    case "balance": {
      const account = await users.account(userId);
      console.log(`${account.userId}: ${account.creditBalance} credits`);
      for (const row of await users.ledger(userId, 20)) {
        console.log(
          `${row.createdAt.toISOString()}  ${String(row.delta).padStart(6)}  ${row.reason.padEnd(8)} ${row.referenceId ?? ""}  → ${row.balanceAfter}`,
        );
      }
      break;
    }
    case "confirm-payment":
    case "fail-payment": {
      // The second positional is a payment id here.
      const outcome =
        command === "confirm-payment"
          ? { status: "paid" as const }
          : { status: "failed" as const, reason: values.reason ?? "marked failed by an operator" };
      const { payment, changed } = await subscriptions.settle(userId, outcome);
      console.log(
        `payment ${payment.id} (${payment.plan}, ${payment.amount} ${payment.currency}, user ${payment.userId}): ${payment.status}${changed ? "" : " already, nothing changed"}`,
      );
      if (payment.status === "paid") {
        const view = await subscriptions.get(payment.userId);
        if (view.hasSubscription) console.log(`subscription ${view.plan} ${view.status} until ${view.billing.expiresAt}`);
      }
      break;
    }
    case "subscription":
      console.log(JSON.stringify(await subscriptions.get(userId), null, 2));
      break;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await queue.stop();
  await close();
}
