import type { UserRepository } from "../../src/users/user.repository.ts";
import { repository } from "./database.ts";

/** The per-user lock: a unit test runs one call at a time, so there is nothing to serialise. */
export const inMemoryUsers: UserRepository = repository<UserRepository>("userRepository", {
  lock: async () => undefined,
});
