import { MemoryStorage } from '../../../src/apiserver/storage/memory.js';
import { runStorageConformance } from '../../conformance/storage-suite.js';

runStorageConformance('MemoryStorage', (opts) => new MemoryStorage(opts));
