"""kubesim as a pytest fixture (conftest.py): one cluster per session, a namespace per test.
Run with `python3 -m pytest` from a folder where `npx kubesim` works (see docs/testing.md)."""

import time

import yaml
from kubernetes import client, utils

# The Job's container runs on the cluster's clock: `sleep 60` lasts a virtual minute.
MANIFESTS = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
  labels: { app: hello }
data:
  message: hello from kubesim
---
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
  labels: { app: hello }
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hello
          image: busybox:1.36
          command: ["sh", "-c", "echo hello; sleep 60"]
"""


def apply(kubesim, namespace):
    """Creates the objects of MANIFESTS in the namespace, as `kubectl create -f`; the objects as stored."""
    created = utils.create_from_yaml(
        kubesim.api_client, yaml_objects=list(yaml.safe_load_all(MANIFESTS)), namespace=namespace)
    return [objects[0] for objects in created]


def wait_for(what, check, timeout=10.0):
    """Polls check() until it returns something truthy; fails naming what never came."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def job(kubesim, namespace):
    return client.BatchV1Api(kubesim.api_client).read_namespaced_job("hello", namespace)


def complete(j):
    return any(c.type == "Complete" and c.status == "True" for c in (j.status.conditions or []))


def completed_job(kubesim, namespace):
    """Applies the manifests, lets the virtual minute pass, and returns the completed Job."""
    apply(kubesim, namespace)
    wait_for("the Job's pod to run", lambda: job(kubesim, namespace).status.active == 1)
    kubesim.advance("1m")
    return wait_for("the Job to complete", lambda: complete(j := job(kubesim, namespace)) and j)


def test_job_runs_to_completion_on_the_virtual_clock(kubesim, namespace):
    config_map, applied_job = apply(kubesim, namespace)
    assert config_map.data == {"message": "hello from kubesim"}
    assert applied_job.spec.backoff_limit == 6  # defaulted by the API server

    running = wait_for("the Job's pod to run", lambda: (j := job(kubesim, namespace)).status.active == 1 and j)
    assert not running.status.succeeded  # a virtual minute has not passed yet

    kubesim.advance("1m")
    done = wait_for("the Job to complete", lambda: complete(j := job(kubesim, namespace)) and j)
    assert done.status.succeeded == 1

    events = client.CoreV1Api(kubesim.api_client).list_namespaced_event(
        namespace, field_selector="involvedObject.kind=Job,involvedObject.name=hello")
    reasons = {e.reason for e in events.items}
    assert {"SuccessfulCreate", "Completed"} <= reasons


def test_label_and_field_selectors(kubesim, namespace):
    completed_job(kubesim, namespace)
    core = client.CoreV1Api(kubesim.api_client)
    pods = core.list_namespaced_pod(
        namespace, label_selector="batch.kubernetes.io/job-name=hello", field_selector="status.phase=Succeeded")
    assert len(pods.items) == 1
    config_maps = core.list_namespaced_config_map(namespace, label_selector="app=hello")
    assert [c.metadata.name for c in config_maps.items] == ["greeting"]


def test_deleting_the_job_deletes_its_pod(kubesim, namespace):
    completed_job(kubesim, namespace)
    core = client.CoreV1Api(kubesim.api_client)
    [pod] = core.list_namespaced_pod(namespace, label_selector="batch.kubernetes.io/job-name=hello").items
    client.BatchV1Api(kubesim.api_client).delete_namespaced_job(
        "hello", namespace, propagation_policy="Background")
    # The garbage collector deletes the pod the Job owned.
    wait_for("the pod to be deleted", lambda: not core.list_namespaced_pod(
        namespace, field_selector=f"metadata.name={pod.metadata.name}").items)
    assert core.read_namespaced_config_map("greeting", namespace).data == {"message": "hello from kubesim"}
