/** Unit tests sit beside the code (*.spec.ts); e2e suites live in test/ (*.e2e-spec.ts). */
const transform = {
  '^.+\\.(ts|js)$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

/** ESM-only dependencies that jest's CommonJS runtime must have compiled (Node itself loads them fine). */
const esmDependencies = ['@apidevtools/json-schema-ref-parser'];

const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${esmDependencies.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/**/*.spec.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 80 } },
  // e2e suites start real servers; jest reads this option for the whole run, not per project.
  testTimeout: 60_000,
  // Suites close what they open; this is the backstop so that a stray handle (a socket a
  // library keeps for a moment) cannot keep CI waiting after the results are in.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      ...common,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      ...common,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
