#!/usr/bin/env python3
"""Writes rsa_pkcs1_decrypt.json, the compact extract of the three Wycheproof files that the wasm
tests embed: per test group the private key (its PEM, as the vector gives it) and its tests as
[tcId, msg hex, ct hex, result]. tests/wycheproof.rs checks that the extract matches the files.

Usage: python3 tests/vectors/wycheproof/extract.py   (from any directory)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
out = {}
for bits in (2048, 3072, 4096):
    with open(os.path.join(HERE, f"rsa_pkcs1_{bits}_test.json"), encoding="utf-8") as f:
        data = json.load(f)
    out[str(bits)] = [
        {
            "key": group["privateKeyPem"],
            "tests": [[t["tcId"], t["msg"], t["ct"], t["result"]] for t in group["tests"]],
        }
        for group in data["testGroups"]
    ]
with open(os.path.join(HERE, "rsa_pkcs1_decrypt.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
