// Every test file gets a fresh kubesim cluster on a virtual clock (kubesim-environment.mjs).
export default {
  testEnvironment: './kubesim-environment.mjs',
  testEnvironmentOptions: { kubesim: { clock: 'virtual' } },
  testMatch: ['**/*.test.mjs'],
};
