/** How the service sends mail; the composition root picks the adapter (dev outbox or SMTP). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Development and tests: mail is kept in memory (and logged), so a test can read the reset link. */
export class OutboxMailer implements Mailer {
  readonly sent: Mail[] = [];
  constructor(private readonly log: (line: string) => void = () => {}) {}
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
    this.log(`mail to ${mail.to}: ${mail.subject}`);
  }
}
