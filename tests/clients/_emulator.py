"""Starts ``target/debug/ecs-password serve`` (its emulated cloud, docs/emulator.md) on a free
loopback port for the real-client tests, and reads the demo from ``GET /demo``.

The server picks its own port (``--listen 127.0.0.1:0``) and names it on its first line: a port
chosen here and closed again could be taken by another process before the server binds it."""

import base64
import hashlib
import hmac
import json
import os
import re
import select
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "debug" / "ecs-password"
PROJECT = "0605767f5a80d5762fc1c000cf2b3f95"
WIN2048 = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01"
WIN4096 = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d02"
LINUX = "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d04"
CONTROL = {"X-Emulator-Control": "1"}


class Emulator:
    """One ``serve`` process; ``url`` is its origin."""

    def __init__(self):
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--listen", "127.0.0.1:0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # "Serving ecs-password on http://127.0.0.1:PORT/ ...", written in one piece once it
        # listens; the rest of its output is not needed (serve ignores a closed stdout).
        ready, _, _ = select.select([self.process.stdout], [], [], 20)
        line = self.process.stdout.readline().decode() if ready else ""
        self.process.stdout.close()
        match = re.search(r"http://[^/\s]+", line)
        if not match:
            self.process.kill()
            said = self.process.communicate(timeout=10)[1].decode(errors="replace").strip()
            raise RuntimeError(f"{BINARY} serve did not start (build it with cargo build -p ecs-password-cli): {said}")
        self.url = match.group(0)
        self.demo = self.get("/demo")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.process.stderr:
            self.process.stderr.close()

    def request(self, method, path, headers=None, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        with urllib.request.urlopen(req, timeout=10) as response:
            text = response.read()
            return json.loads(text) if text else None

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def principal(self, name):
        return next(p for p in self.demo["principals"] if p["name"] == name)

    def server_state(self, server_id):
        state = self.get("/_emulator/state", CONTROL)
        return next(s for s in state["servers"] if s["id"] == server_id)

    def reset(self):
        self.request("POST", "/_emulator/reset", CONTROL)

    def cli_get(self, server_id, family="v1", token="demo-token-admin"):
        """The ciphertext as the product's own CLI reads it (`ecs-password get` without a key)."""
        endpoint = self.url + ("/compute/v2.1/" + PROJECT if family == "nova" else "/")
        out = subprocess.run(
            [str(BINARY), "get", "--endpoint", endpoint, "--project", PROJECT, "--server", server_id,
             "--family", family, "--json"],
            cwd=ROOT, env={**os.environ, "OS_TOKEN": token},
            capture_output=True, text=True, timeout=30, check=False,
        )
        return out


def totp(secret_base32, at=None):
    """RFC 6238 with the standard library (SHA-1, 30 s, 6 digits): an oracle independent of the
    emulator's own code."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def decrypt(ciphertext, key_file="rsa2048.pkcs1.pem"):
    """The guest's password, decrypted with the demo key (RSA PKCS#1 v1.5, as cloudbase-init)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key = serialization.load_pem_private_key((ROOT / "tests" / "fixtures" / key_file).read_bytes(), None)
    return key.decrypt(base64.b64decode(ciphertext), padding.PKCS1v15()).decode()


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()
