/** Bull Board is served here, beside the API (like /docs); only admins get in. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues-dashboard';
