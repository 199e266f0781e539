import type { FastifyInstance } from "fastify";
import type { DevSignIn } from "../dev-sign-in.ts";
import { sendData, sendFailure } from "../http/errors.ts";

/**
 * GET /dev/sign-in tells the web app to offer the one-click button; POST signs in as the demo user.
 * Registered only when the runtime composed a DevSignIn, so production servers answer 404 to both.
 */
export function devRoutes(app: FastifyInstance, devSignIn: DevSignIn) {
  app.get("/dev/sign-in", async (_request, reply) => sendData(reply, { available: true }));
  app.post("/dev/sign-in", async (_request, reply) => {
    try {
      return sendData(reply, await devSignIn.signIn());
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}
