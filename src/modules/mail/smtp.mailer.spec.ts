import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../config/load-config';
import { SmtpMailer } from './smtp.mailer';

describe('SmtpMailer', () => {
  let server: SMTPServer;
  const received: { from: string; to: string[]; data: string }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers through the SMTP server of SMTP_URL, from MAIL_FROM', async () => {
    const { port } = server.server.address() as AddressInfo;
    const mailer = new SmtpMailer(
      loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Kiln <robot@kiln.test>' }),
    );
    await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: 'Reset token: abc' });
    mailer.onModuleDestroy();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'robot@kiln.test', to: ['ada@example.com'] });
    expect(received[0].data).toContain('Subject: Hello');
    expect(received[0].data).toContain('Reset token: abc');
  });
});
