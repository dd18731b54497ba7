import { metricsTokenAccepted } from './metrics-token';

describe('metricsTokenAccepted', () => {
  it('lets everyone scrape when no token is configured', () => {
    expect(metricsTokenAccepted(undefined, undefined)).toBe(true);
  });

  it('needs exactly "Bearer <token>" when one is configured', () => {
    expect(metricsTokenAccepted('s3cret', 'Bearer s3cret')).toBe(true);
    expect(metricsTokenAccepted('s3cret', 'Bearer s3cre')).toBe(false);
    expect(metricsTokenAccepted('s3cret', 's3cret')).toBe(false);
    expect(metricsTokenAccepted('s3cret', undefined)).toBe(false);
  });
});
