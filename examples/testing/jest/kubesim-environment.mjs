// A jest test environment that gives each test file its own kubesim cluster, as the global
// `cluster`. kubesim runs here, outside jest's module sandbox: inside it, on Node before 24.9,
// jest cannot load fastify's ESM-only dependencies (its `require` of an ES module fails).
// Options come from `testEnvironmentOptions.kubesim` in the jest config or from a test file's
// `@jest-environment-options {"kubesim": {...}}` docblock, and go to startCluster as they are.
import { TestEnvironment } from 'jest-environment-node';
import { startCluster } from 'kubesim';

// jest loads a test environment through its default export.
export default class KubesimEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.clusterOptions = config.projectConfig.testEnvironmentOptions?.kubesim ?? {};
  }

  async setup() {
    await super.setup();
    this.cluster = await startCluster(this.clusterOptions);
    this.global.cluster = this.cluster;
  }

  async teardown() {
    await this.cluster?.stop();
    await super.teardown();
  }
}
