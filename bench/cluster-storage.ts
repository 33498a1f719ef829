// startCluster keeps its storage to itself. The selectors scenario seeds 100,000 Pods straight
// into it (the create pipeline costs about a millisecond an object, so seeding through it would
// take minutes): this starts a cluster and hands back the MemoryStorage it built, caught on the
// first create bootstrap makes.
import { startCluster, type Cluster, type ClusterOptions } from '../src/index.js';
import { MemoryStorage } from '../src/apiserver/storage/memory.js';

export async function startClusterWithStorage(options: ClusterOptions): Promise<{ cluster: Cluster; storage: MemoryStorage }> {
  const proto = MemoryStorage.prototype;
  const create = proto.create;
  let storage: MemoryStorage | undefined;
  proto.create = function (this: MemoryStorage, ...args: Parameters<MemoryStorage['create']>) {
    storage ??= this;
    return create.apply(this, args);
  };
  let cluster: Cluster;
  try {
    cluster = await startCluster(options);
  } finally {
    proto.create = create;
  }
  if (!storage) {
    await cluster.stop();
    throw new Error('startCluster made no create to catch its storage by');
  }
  return { cluster, storage };
}
