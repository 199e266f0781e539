import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SmtpMailer } from "../src/accounts/smtp-mailer.ts";

/** The smallest SMTP server that takes one message at a time, on 127.0.0.1, playing the mail provider. */
function startSmtpServer(): Promise<{
  port: number;
  messages: { from: string; to: string[]; data: string; auth: string | null }[];
  server: Server;
}> {
  const messages: { from: string; to: string[]; data: string; auth: string | null }[] = [];
  const server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [] as string[], data: "", auth: null as string | null };
    socket.write("220 localhost ESMTP test\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let index: number;
      while ((index = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            messages.push(current);
            current = { from: "", to: [], data: "", auth: current.auth };
            socket.write("250 queued\r\n");
          } else current.data += `${line}\n`;
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === "EHLO") socket.write("250-localhost\r\n250 AUTH PLAIN\r\n");
        else if (command === "AUTH") {
          current.auth = Buffer.from(line.split(" ")[2] ?? "", "base64").toString("utf8");
          socket.write("235 ok\r\n");
        } else if (command === "MAIL") {
          current.from = line;
          socket.write("250 ok\r\n");
        } else if (command === "RCPT") {
          current.to.push(line);
          socket.write("250 ok\r\n");
        } else if (command === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (command === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as AddressInfo).port, messages, server })),
  );
}

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

describe("SmtpMailer", () => {
  it("delivers a mail to the SMTP server, signed in with SMTP_USER / SMTP_PASS", async () => {
    const mailer = new SmtpMailer({
      host: "127.0.0.1",
      port: smtp.port,
      user: "noreply@lumiku.test",
      pass: "secret",
      from: "noreply@lumiku.test",
      secure: false,
    });
    await mailer.send({ to: "ana@example.com", subject: "Reset your password", text: "Open http://app/reset-password?token=abc" });
    mailer.close();
    expect(smtp.messages).toHaveLength(1);
    const [message] = smtp.messages;
    expect(message!.from).toContain("noreply@lumiku.test");
    expect(message!.to.join()).toContain("ana@example.com");
    expect(message!.auth).toBe("\u0000noreply@lumiku.test\u0000secret");
    expect(message!.data).toContain("Subject: Reset your password");
    expect(message!.data).toContain("token=abc");
  });
});
