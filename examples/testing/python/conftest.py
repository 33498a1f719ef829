"""pytest fixtures that run kubesim as a subprocess: one cluster per test session, a fresh
namespace per test.

kubesim is a Node.js program, found as `npx kubesim` in the working directory (a project
that has it in package.json), or as the command in $KUBESIM (for example
KUBESIM=/path/to/node_modules/.bin/kubesim). See docs/testing.md.
"""

import collections
import os
import shlex
import signal
import subprocess
import threading
import uuid

import pytest
from kubernetes import client, config

KUBESIM = shlex.split(os.environ.get("KUBESIM", "npx kubesim"))
READY = "is serving the Kubernetes API at "


class Kubesim:
    """A running kubesim: its kubeconfig, an ApiClient for it, and its virtual clock."""

    def __init__(self, kubeconfig, api_client, url):
        self.kubeconfig = kubeconfig
        self.api_client = api_client
        self.url = url

    def advance(self, duration):
        """Moves the virtual clock ('90s', '5m', '1h30m'); returns once the controllers have reacted."""
        subprocess.run(
            [*KUBESIM, "clock", "advance", duration, "--kubeconfig", self.kubeconfig],
            check=True, capture_output=True, text=True, timeout=60,
        )


def _wait_until_serving(proc, timeout):
    """The URL from kubesim's ready line; the kubeconfig is written by the time it is printed."""
    found = {}
    output = collections.deque(maxlen=50)  # the last lines, for the error if it never starts

    def read():
        # Keep reading after the ready line too, so kubesim never blocks on a full pipe.
        for line in proc.stdout:
            output.append(line)
            if READY in line and "url" not in found:
                found["url"] = line.split(READY, 1)[1].strip()
                ready.set()
        ready.set()  # output closed: kubesim exited

    ready = threading.Event()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout) or "url" not in found:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"kubesim did not start: {shlex.join(proc.args)}\n{''.join(output)}")
    return found["url"]


@pytest.fixture(scope="session")
def kubesim(tmp_path_factory):
    kubeconfig = str(tmp_path_factory.mktemp("kubesim") / "kubeconfig")
    proc = subprocess.Popen(
        [*KUBESIM, "--port", "0", "--clock", "virtual", "--kubeconfig", kubeconfig],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # Its own process group, so SIGTERM reaches kubesim itself and not only npx.
        start_new_session=True,
    )
    try:
        url = _wait_until_serving(proc, timeout=60)
        with config.new_client_from_config(config_file=kubeconfig) as api_client:
            yield Kubesim(kubeconfig, api_client, url)
    finally:
        # SIGTERM stops kubesim cleanly.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def namespace(kubesim):
    """A namespace of this test's own, deleted after it (the namespace controller empties it)."""
    core = client.CoreV1Api(kubesim.api_client)
    name = f"test-{uuid.uuid4().hex[:8]}"
    core.create_namespace({"metadata": {"name": name}})
    yield name
    core.delete_namespace(name)
