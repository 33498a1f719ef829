// A Job with nearly every PodSpec field set, as `kubectl create job rich-run --from=cronjob/rich`
// sent it (kubectl 1.32.5; the CronJob was created from a manifest that sets volumes of many
// kinds, probes of every kind, env sources, resources, security contexts, affinity, tolerations,
// topology spread and a pod failure policy). The expected JSON is what the same command printed
// with `--dry-run=client -o json`, less `creationTimestamp: null`: real bytes against Go's output.
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/endpoints/protobuf/decode.js';

const body =
  'azhzAAoPCghiYXRjaC92MRIDSm9iEs8QCqQBCghyaWNoLXJ1bhIAGgAiACoAMgA4AEIAWgsKA2FwcBIEcmljaGIrCiFjcm9uam9i' +
  'Lmt1YmVybmV0ZXMuaW8vaW5zdGFudGlhdGUSBm1hbnVhbGINCgRub3RlEgVoZWxsb2pBCgdDcm9uSm9iGgRyaWNoIiRlY2IwZTI1' +
  'Yi1hZGVjLTQyNWQtOWVmNS1hM2FjMTkwODE2MTkqCGJhdGNoL3YxMAESmw8IAhAEGNgEMsEOCh0KABIAGgAiACoAMgA4AEIAWgsK' +
  'A2FwcBIEcmljaBKfDgobCgVjYWNoZRISEhAKBk1lbW9yeRIGCgQ2NE1pCi0KA2NmZxImmgEjCgUKA2NmZxIXCghhcHAuY29uZhII' +
  'YXBwLmNvbmYYgAIYpAMKEgoDc2VjEgsyCQoDc2VjGAAgAQofCgRob3N0EhcKFQoIL3Zhci9sb2cSCURpcmVjdG9yeQoNCgVlbXB0' +
  'eRIEEgIKAApZCgRwcm9qElHSAU4KESIPCgNhcGkQkBwaBXRva2VuCiMSIQofCgZsYWJlbHMSFQoCdjESD21ldGFkYXRhLmxhYmVs' +
  'cwoRGg8KBQoDY2ZnEgYKAWESAWEQpAMKEwoFY2xhaW0SClIICgRkYXRhEAEKYwoDZXBoElzqAVkKVwocCgASABoAIgAqADIAOABC' +
  'AFoKCgNlcGgSA3llcxI3Cg1SZWFkV3JpdGVPbmNlEhISEAoHc3RvcmFnZRIFCgMxR2kaACoEZmFzdDIKRmlsZXN5c3RlbQofCgNu' +
  'ZnMSGDoWCgluZnMubG9jYWwSBy9leHBvcnQYAAooCgNjc2kSIeIBHgoPY3NpLmV4YW1wbGUuY29tIgYKAWESAWIqAwoBcxLHBQoE' +
  'bWFpbhIKbmdpbng6MS4yNxoFbmdpbngiAi1nIgtkYWVtb24gb2ZmOyoEL3NydjIRCgRodHRwEAAYUCIDVENQKgAyFgoAEIJHGIJH' +
  'IgNVRFAqBzAuMC4wLjA6CgoFUExBSU4SAXg6CQoFRU1QVFkSADofCgROT0RFEgAaFQoTCgJ2MRINc3BlYy5ub2RlTmFtZTonCgNN' +
  'RU0SABoeEhwKBG1haW4SDWxpbWl0cy5tZW1vcnkaBQoDMU1pOhYKAkNNEgAaDhoMCgUKA2NmZxIBaxgBOhUKA1NFQxIAGgwiCgoF' +
  'CgNzZWMSAWtCXQoNCgNjcHUSBgoENTAwbQoPCgZtZW1vcnkSBQoDMUdpEg0KA2NwdRIGCgQyNTBtEhkKEWVwaGVtZXJhbC1zdG9y' +
  'YWdlEgQKAjJHEhEKBm1lbW9yeRIHCgUyNTZNaUoVCgVjYWNoZRAAGgYvY2FjaGUiADIASh0KA2NmZxABGggvZXRjL2NmZyIIYXBw' +
  'LmNvbmYyAEokCgRob3N0EAAaBS9ob3N0IgAqD0hvc3RUb0NvbnRhaW5lcjIAUjYKKhIoCggvaGVhbHRoehIGCAAQUBoAGgAiBEhU' +
  'VFAqDAoHWC1Qcm9iZRIBMRAFGAEgCigBMANaKgoeEhwKBi9yZWFkeRIKCAEQABoEaHR0cBoAIgRIVFRQEAAYAiAKKAEwA2IUCgwK' +
  'CgoEZWNobwoCaGkSBCICCAVqFC9kZXYvdGVybWluYXRpb24tbG9ncgxJZk5vdFByZXNlbnR6IQoXChBORVRfQklORF9TRVJWSUNF' +
  'EgNBTEwQACBlMAE4AIABAYgBAJABAZoBEQoEQ0ZHXxIJCgUKA2NmZxAAmgELCgAaBwoFCgNzZWOiARVGYWxsYmFja1RvTG9nc09u' +
  'RXJyb3KyARoKDBoKCgYIABBQGgASABAAGAEgCigBMAM4ABJcCgRncnBjEgdidXN5Ym94KgBCAFIZCg0iCwiQPxIGaGVhbHRoEAAY' +
  'ASAKKAEwA2oUL2Rldi90ZXJtaW5hdGlvbi1sb2dyBkFsd2F5c4ABAIgBAJABAKIBBEZpbGUaBU5ldmVyIAAyF0NsdXN0ZXJGaXJz' +
  'dFdpdGhIb3N0TmV0OgsKBGRpc2sSA3NzZEIHZGVmYXVsdEoAUgBYAWAAaAByPBAAGAAgBSAGKNAPMOgHOhoKEm5ldC5jb3JlLnNv' +
  'bWF4Y29ubhIEMTAyNFIQCg5SdW50aW1lRGVmYXVsdHoJCgdyZWdjcmVkggECaDGKAQNzdWKSAWkKOAoUChIKEAoEem9uZRICSW4a' +
  'AWEaAWISIAgKEhwSGgoNbWV0YWRhdGEubmFtZRIFTm90SW4aAm4xGi0SKwhkEicKDQoLCgNhcHASBHJpY2gaFmt1YmVybmV0ZXMu' +
  'aW8vaG9zdG5hbWWaARFkZWZhdWx0LXNjaGVkdWxlcqIBWAoEaW5pdBIHYnVzeWJveBoCc2gaAi1jGgR0cnVlKgBCAGoUL2Rldi90' +
  'ZXJtaW5hdGlvbi1sb2dyBkFsd2F5c4ABAIgBAJABAKIBBEZpbGXCAQZBbHdheXOoAQCyASUKCWRlZGljYXRlZBIFRXF1YWwaBWJh' +
  'dGNoIgpOb1NjaGVkdWxlsgEZCgASBkV4aXN0cxoAIglOb0V4ZWN1dGUoALoBHAoIMTAuMC4wLjESB2EubG9jYWwSB2IubG9jYWzC' +
  'AQDSASkKBzEuMS4xLjESCXN2Yy5sb2NhbBoKCgVuZG90cxIBMhoHCgVlZG5zMNgBAfABAIoCKwgBEgR6b25lGg5TY2hlZHVsZUFu' +
  'eXdheSIPEg0KA2FwcBIGRXhpc3RzKAKYAgCiAgcKBWxpbnV4OABAAEoHSW5kZXhlZFABWj8KGQoHRmFpbEpvYhIOCgRtYWluEgJJ' +
  'bhgBGCoKIgoGSWdub3JlGhgKEERpc3J1cHRpb25UYXJnZXQSBFRydWUaCCAAKAAwADoAGgAiAA==';

const want =
  '{"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"rich-run","labels":{"app":"rich"},"annotat' +
  'ions":{"cronjob.kubernetes.io/instantiate":"manual","note":"hello"},"ownerReferences":[{"apiVersion"' +
  ':"batch/v1","kind":"CronJob","name":"rich","uid":"ecb0e25b-adec-425d-9ef5-a3ac19081619","controller"' +
  ':true}]},"spec":{"parallelism":2,"completions":4,"activeDeadlineSeconds":600,"podFailurePolicy":{"ru' +
  'les":[{"action":"FailJob","onExitCodes":{"containerName":"main","operator":"In","values":[1,42]}},{"' +
  'action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]},"backoffLimit":0' +
  ',"template":{"metadata":{"labels":{"app":"rich"}},"spec":{"volumes":[{"name":"cache","emptyDir":{"me' +
  'dium":"Memory","sizeLimit":"64Mi"}},{"name":"cfg","configMap":{"name":"cfg","items":[{"key":"app.con' +
  'f","path":"app.conf","mode":256}],"defaultMode":420}},{"name":"sec","secret":{"secretName":"sec","de' +
  'faultMode":0,"optional":true}},{"name":"host","hostPath":{"path":"/var/log","type":"Directory"}},{"n' +
  'ame":"empty","emptyDir":{}},{"name":"proj","projected":{"sources":[{"serviceAccountToken":{"audience' +
  '":"api","expirationSeconds":3600,"path":"token"}},{"downwardAPI":{"items":[{"path":"labels","fieldRe' +
  'f":{"apiVersion":"v1","fieldPath":"metadata.labels"}}]}},{"configMap":{"name":"cfg","items":[{"key":' +
  '"a","path":"a"}]}}],"defaultMode":420}},{"name":"claim","persistentVolumeClaim":{"claimName":"data",' +
  '"readOnly":true}},{"name":"eph","ephemeral":{"volumeClaimTemplate":{"metadata":{"labels":{"eph":"yes' +
  '"}},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClass' +
  'Name":"fast","volumeMode":"Filesystem"}}}},{"name":"nfs","nfs":{"server":"nfs.local","path":"/export' +
  '"}},{"name":"csi","csi":{"driver":"csi.example.com","volumeAttributes":{"a":"b"},"nodePublishSecretR' +
  'ef":{"name":"s"}}}],"initContainers":[{"name":"init","image":"busybox","command":["sh","-c","true"],' +
  '"resources":{},"restartPolicy":"Always","terminationMessagePath":"/dev/termination-log","termination' +
  'MessagePolicy":"File","imagePullPolicy":"Always"}],"containers":[{"name":"main","image":"nginx:1.27"' +
  ',"command":["nginx"],"args":["-g","daemon off;"],"workingDir":"/srv","ports":[{"name":"http","contai' +
  'nerPort":80,"protocol":"TCP"},{"hostPort":9090,"containerPort":9090,"protocol":"UDP","hostIP":"0.0.0' +
  '.0"}],"envFrom":[{"prefix":"CFG_","configMapRef":{"name":"cfg","optional":false}},{"secretRef":{"nam' +
  'e":"sec"}}],"env":[{"name":"PLAIN","value":"x"},{"name":"EMPTY"},{"name":"NODE","valueFrom":{"fieldR' +
  'ef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}},{"name":"MEM","valueFrom":{"resourceFieldRef":' +
  '{"containerName":"main","resource":"limits.memory","divisor":"1Mi"}}},{"name":"CM","valueFrom":{"con' +
  'figMapKeyRef":{"name":"cfg","key":"k","optional":true}}},{"name":"SEC","valueFrom":{"secretKeyRef":{' +
  '"name":"sec","key":"k"}}}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"},"requests":{"cpu":"25' +
  '0m","ephemeral-storage":"2G","memory":"256Mi"}},"volumeMounts":[{"name":"cache","mountPath":"/cache"' +
  '},{"name":"cfg","readOnly":true,"mountPath":"/etc/cfg","subPath":"app.conf"},{"name":"host","mountPa' +
  'th":"/host","mountPropagation":"HostToContainer"}],"livenessProbe":{"httpGet":{"path":"/healthz","po' +
  'rt":80,"scheme":"HTTP","httpHeaders":[{"name":"X-Probe","value":"1"}]},"initialDelaySeconds":5,"time' +
  'outSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},"readinessProbe":{"httpG' +
  'et":{"path":"/ready","port":"http","scheme":"HTTP"},"timeoutSeconds":2,"periodSeconds":10,"successTh' +
  'reshold":1,"failureThreshold":3},"startupProbe":{"tcpSocket":{"port":80},"timeoutSeconds":1,"periodS' +
  'econds":10,"successThreshold":1,"failureThreshold":3,"terminationGracePeriodSeconds":0},"lifecycle":' +
  '{"postStart":{"exec":{"command":["echo","hi"]}},"preStop":{"sleep":{"seconds":5}}},"terminationMessa' +
  'gePath":"/dev/termination-log","terminationMessagePolicy":"FallbackToLogsOnError","imagePullPolicy":' +
  '"IfNotPresent","securityContext":{"capabilities":{"add":["NET_BIND_SERVICE"],"drop":["ALL"]},"privil' +
  'eged":false,"runAsUser":101,"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false},"stdin":' +
  'true,"tty":true},{"name":"grpc","image":"busybox","resources":{},"livenessProbe":{"grpc":{"port":808' +
  '0,"service":"health"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":' +
  '3},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolic' +
  'y":"Always"}],"restartPolicy":"Never","terminationGracePeriodSeconds":0,"dnsPolicy":"ClusterFirstWit' +
  'hHostNet","nodeSelector":{"disk":"ssd"},"serviceAccountName":"default","automountServiceAccountToken' +
  '":false,"hostNetwork":true,"shareProcessNamespace":true,"securityContext":{"runAsUser":0,"runAsGroup' +
  '":1000,"runAsNonRoot":false,"supplementalGroups":[5,6],"fsGroup":2000,"sysctls":[{"name":"net.core.s' +
  'omaxconn","value":"1024"}],"seccompProfile":{"type":"RuntimeDefault"}},"imagePullSecrets":[{"name":"' +
  'regcred"}],"hostname":"h1","subdomain":"sub","affinity":{"nodeAffinity":{"requiredDuringSchedulingIg' +
  'noredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","valu' +
  'es":["a","b"]}]}]},"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":10,"preference":{"ma' +
  'tchFields":[{"key":"metadata.name","operator":"NotIn","values":["n1"]}]}}]},"podAntiAffinity":{"pref' +
  'erredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"labelSelector":{"mat' +
  'chLabels":{"app":"rich"}},"topologyKey":"kubernetes.io/hostname"}}]}},"schedulerName":"default-sched' +
  'uler","tolerations":[{"key":"dedicated","operator":"Equal","value":"batch","effect":"NoSchedule"},{"' +
  'operator":"Exists","effect":"NoExecute","tolerationSeconds":0}],"hostAliases":[{"ip":"10.0.0.1","hos' +
  'tnames":["a.local","b.local"]}],"dnsConfig":{"nameservers":["1.1.1.1"],"searches":["svc.local"],"opt' +
  'ions":[{"name":"ndots","value":"2"},{"name":"edns0"}]},"enableServiceLinks":false,"topologySpreadCon' +
  'straints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"' +
  'matchExpressions":[{"key":"app","operator":"Exists"}]},"minDomains":2}],"setHostnameAsFQDN":false,"o' +
  's":{"name":"linux"}}},"ttlSecondsAfterFinished":0,"completionMode":"Indexed","suspend":true},"status' +
  '":{}}';

describe('decodeKubernetesProtobuf on a Job whose pod template sets nearly every field', () => {
  const decoded = decodeKubernetesProtobuf(Buffer.from(body, 'base64'));

  it('gives the JSON kubectl prints for the same object, keys in the same order', () => {
    expect(decoded.object).toStrictEqual(JSON.parse(want));
    expect(JSON.stringify(decoded.object)).toBe(want);
  });

  it('keeps what Go keeps: pointers to zero, named ports, quantities', () => {
    const at = (...path: (string | number)[]): unknown =>
      path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], decoded.object);
    const pod = ['spec', 'template', 'spec'];
    expect(at('spec', 'backoffLimit')).toBe(0);
    expect(at('spec', 'ttlSecondsAfterFinished')).toBe(0);
    expect(at(...pod, 'terminationGracePeriodSeconds')).toBe(0);
    expect(at(...pod, 'securityContext')).toMatchObject({ runAsUser: 0, runAsNonRoot: false, supplementalGroups: [5, 6] });
    expect(at(...pod, 'tolerations', 1)).toStrictEqual({ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 });
    const main = [...pod, 'containers', 0];
    expect(at(...main, 'readinessProbe', 'httpGet', 'port')).toBe('http');
    expect(at(...main, 'livenessProbe', 'httpGet', 'port')).toBe(80);
    expect(at(...main, 'resources')).toStrictEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '250m', 'ephemeral-storage': '2G', memory: '256Mi' },
    });
    expect(at(...main, 'env', 1)).toStrictEqual({ name: 'EMPTY' });
    expect(at(...pod, 'volumes', 2)).toStrictEqual({ name: 'sec', secret: { secretName: 'sec', defaultMode: 0, optional: true } });
  });
});
