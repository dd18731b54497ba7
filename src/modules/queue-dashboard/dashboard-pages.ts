import { API_PREFIX } from '../../http/api-prefix';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path';

const STYLE = `<style>
  body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }
  label, input, button { display: block; width: 100%; box-sizing: border-box; margin-top: .5rem; }
  input, button { padding: .5rem; font-size: 1rem; }
  #message { color: #b00020; min-height: 1.5rem; }
</style>`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>${STYLE}</head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sign-in form; its script (LOGIN_SCRIPT) signs in through the API. */
export const LOGIN_PAGE = page(
  'Kiln queues: sign in',
  `<h1>Kiln queues</h1>
<p>Sign in with an admin account.</p>
<form id="login">
  <label>Email <input name="email" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
<p id="message" role="alert"></p>
<script src="${QUEUE_DASHBOARD_PATH}/login.js"></script>`,
);

/**
 * Signs in with the API's own login (its rate limits and checks apply), exchanges the access token
 * for the dashboard's cookie, then ends the refresh session the sign-in opened: the page keeps no
 * token, and the cookie is all the dashboard needs.
 */
export const LOGIN_SCRIPT = `'use strict';
(() => {
  const form = document.getElementById('login');
  const message = document.getElementById('message');
  const post = (path, body, token) =>
    fetch('/${API_PREFIX}/' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
      body: JSON.stringify(body),
    });
  const refused = async (response, what) => {
    const problem = await response.json().catch(() => ({}));
    message.textContent = what + ' (' + response.status + '): ' + (problem.detail || response.statusText);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const fields = new FormData(form);
    try {
      const login = await post('auth/login', { email: fields.get('email'), password: fields.get('password') });
      if (!login.ok) return refused(login, 'Sign-in failed');
      const { accessToken, refreshToken } = await login.json();
      const session = await post('admin/queues-dashboard/session', {}, accessToken);
      await post('auth/logout', { refreshToken }, accessToken).catch(() => undefined);
      if (!session.ok) return refused(session, 'This account may not open the queue dashboard');
      location.assign('${QUEUE_DASHBOARD_PATH}/');
    } catch {
      message.textContent = 'Kiln did not answer; try again.';
    }
  });
})();
`;

/** What a browser is shown when its session is refused (403). */
export function refusedPage(detail: string): string {
  return page(
    'Kiln queues: forbidden',
    `<h1>403 Forbidden</h1>
<p>${escapeHtml(detail)}</p>
<p><a href="${QUEUE_DASHBOARD_PATH}/login">Sign in with another account</a></p>`,
  );
}
