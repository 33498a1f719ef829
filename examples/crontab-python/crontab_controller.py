#!/usr/bin/env python3
"""The CronTab controller in its classic shape, with the official Python client.

It watches CronTabs (stable.example.com/v1, examples/crontab-operator/crd.yaml) in every
namespace and keeps one Job per CronTab: created when the CronTab is added, replaced when
its spec changes, deleted when the CronTab is deleted. The Job has the CronTab's name and
runs spec.image spec.replicas times.

Runs against kubesim or any cluster, with Debian's python3-kubernetes:

    KUBECONFIG=.kubesim/kubeconfig /usr/bin/python3 examples/crontab-python/crontab_controller.py
"""
import hashlib
import json
import signal
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "stable.example.com", "v1", "crontabs"
# The Job remembers which CronTab spec it was made from, to notice when that spec changes.
SPEC_HASH = "stable.example.com/spec-hash"


def log(message):
    print(message, flush=True)


def spec_hash(spec):
    """A short hash of the spec, the same one examples/crontab-operator/operator.ts writes."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def job_for(crontab):
    """The Job a CronTab asks for: same name and namespace, owned by the CronTab."""
    meta, spec = crontab["metadata"], crontab["spec"]
    replicas = spec.get("replicas", 1)
    owner = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "CronTab",
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,  # the CronTab is the one object managing this Job
        "blockOwnerDeletion": True,
    }
    labels = {"crontab": meta["name"]}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": meta["name"],
            "labels": labels,
            "annotations": {SPEC_HASH: spec_hash(spec)},
            "ownerReferences": [owner],
        },
        "spec": {
            "parallelism": replicas,
            "completions": replicas,
            "template": {
                "metadata": {"labels": labels},
                # A CronTab has no command: the container runs its image's default command.
                "spec": {
                    "restartPolicy": "OnFailure",
                    "containers": [{"name": "crontab", "image": spec["image"]}],
                },
            },
        },
    }


def create_job(batch, crontab):
    meta = crontab["metadata"]
    name, namespace = meta["name"], meta["namespace"]
    # Right after a delete the old Job may still be going away (409): try a few times.
    for attempt in range(10):
        try:
            batch.create_namespaced_job(namespace, job_for(crontab))
            log(f"{namespace}/{name}: created Job {name}")
            return
        except ApiException as e:
            if e.status != 409:
                raise
            if attempt == 0 and not replace_if_changed(batch, crontab):
                log(f"{namespace}/{name}: Job {name} already exists")
                return
            time.sleep(0.5)
    log(f"{namespace}/{name}: Job {name} is still there; giving up")


def replace_if_changed(batch, crontab):
    """Delete the CronTab's Job if it was made from another spec. True when a Job must be made now."""
    meta = crontab["metadata"]
    try:
        job = batch.read_namespaced_job(meta["name"], meta["namespace"])
    except ApiException as e:
        if e.status == 404:
            return True  # gone already: create it
        raise
    if not owned_by(job, meta["uid"]):
        log(f"{meta['namespace']}/{meta['name']}: Job {meta['name']} is not this CronTab's; leaving it alone")
        return False
    if (job.metadata.annotations or {}).get(SPEC_HASH) == spec_hash(crontab["spec"]):
        return False  # made from this spec: nothing to do
    # A Job's pod template cannot be changed: delete the Job and make a new one.
    delete_job(batch, crontab, "the CronTab spec changed")
    return True


def owned_by(job, uid):
    return any(ref.controller and ref.uid == uid for ref in job.metadata.owner_references or [])


def delete_job(batch, crontab, why):
    meta = crontab["metadata"]
    name, namespace = meta["name"], meta["namespace"]
    try:
        job = batch.read_namespaced_job(name, namespace)
        if not owned_by(job, meta["uid"]):
            return  # someone else's Job of the same name
        # Background: the Job goes now, its pods after it. The uid precondition makes sure
        # we delete the Job we just looked at, not a newer one of the same name. Both go in
        # the body: with a body, the API server ignores DeleteOptions in the query.
        batch.delete_namespaced_job(
            name,
            namespace,
            body=client.V1DeleteOptions(
                propagation_policy="Background",
                preconditions=client.V1Preconditions(uid=job.metadata.uid),
            ),
        )
        log(f"{namespace}/{name}: deleted Job {name} ({why})")
    except ApiException as e:
        if e.status != 404:  # already gone is fine
            raise


def handle(batch, event):
    crontab, kind = event["object"], event["type"]
    if kind == "ADDED":
        create_job(batch, crontab)
    elif kind == "MODIFIED":
        if replace_if_changed(batch, crontab):
            create_job(batch, crontab)
    elif kind == "DELETED":
        # A real cluster's garbage collector would delete the owned Job too; deleting it here
        # works on clusters without one.
        delete_job(batch, crontab, "its CronTab was deleted")


def stop(signum, frame):
    raise KeyboardInterrupt  # leave the watch loop below the same way Ctrl+C does


def main():
    config.load_kube_config()  # $KUBECONFIG or ~/.kube/config
    custom = client.CustomObjectsApi()
    batch = client.BatchV1Api()
    signal.signal(signal.SIGTERM, stop)
    log("watching CronTabs in all namespaces")
    try:
        # The server ends a watch now and then (kube-apiserver after 30 to 60 minutes): start
        # a new one. A new watch begins with an ADDED event for every CronTab that exists,
        # which create_job takes calmly; a CronTab deleted in between goes unnoticed here.
        while True:
            try:
                for event in watch.Watch().stream(custom.list_cluster_custom_object, GROUP, VERSION, PLURAL):
                    handle(batch, event)
            except ApiException as e:
                if e.status == 404:
                    sys.exit("the CronTab CRD is not installed: kubectl apply -f examples/crontab-operator/crd.yaml")
                if e.status != 410:  # 410 Gone: the watch fell too far behind; start afresh
                    raise
    except KeyboardInterrupt:
        log("stopping")


if __name__ == "__main__":
    main()
