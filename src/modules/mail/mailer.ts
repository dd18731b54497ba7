export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail. SMTP when SMTP_URL is set; otherwise mail is kept in the mail_outbox table. */
export abstract class Mailer {
  abstract send(mail: Mail): Promise<void>;
}
