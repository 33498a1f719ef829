"""The official Python client (Debian's python3-kubernetes) against kubesim.

Run by test/e2e/python.test.ts with the kubeconfig path as the only argument; prints one
JSON line with what it saw, which the test checks.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
apps = client.AppsV1Api()
out = {}

out["namespaces"] = sorted(ns.metadata.name for ns in core.list_namespace().items)
core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="greeting", labels={"app": "py"}), data={"hello": "world"})
created = core.create_namespaced_config_map("py", cm)
out["created_rv"] = created.metadata.resource_version

patched = core.patch_namespaced_config_map("greeting", "py", {"data": {"hello": "there"}})
out["patched"] = patched.data

stale = created
stale.data = {"hello": "stale"}
try:
    core.replace_namespaced_config_map("greeting", "py", stale)
    out["conflict"] = None
except ApiException as e:
    out["conflict"] = {"status": e.status, "reason": json.loads(e.body)["reason"]}

out["selected"] = [c.metadata.name for c in core.list_namespaced_config_map("py", label_selector="app in (py)").items]

dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="web"),
    spec=client.V1DeploymentSpec(
        replicas=2,
        selector=client.V1LabelSelector(match_labels={"app": "web"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "web"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx")]),
        ),
    ),
)
made = apps.create_namespaced_deployment("py", dep)
out["deployment"] = {"replicas": made.spec.replicas, "strategy": made.spec.strategy.type}

events = []
w = watch.Watch()
for ev in w.stream(core.list_namespaced_config_map, "py", timeout_seconds=1):
    events.append([ev["type"], ev["object"].metadata.name])
out["watch"] = events

core.delete_namespaced_config_map("greeting", "py")
try:
    core.read_namespaced_config_map("greeting", "py")
    out["after_delete"] = None
except ApiException as e:
    out["after_delete"] = e.status

print(json.dumps(out))
