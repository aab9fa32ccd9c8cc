"""Reads a KeePass file with pykeepass, an implementation independent of the Rust `keepass` crate
that `ecs-password get --kdbx` writes with, and prints what it holds as one JSON object: the
format version, the ciphers, and every entry (title, user name, password, the "Server ID" field,
URL, notes). Also checks that a wrong master password is refused. Run by cli/tests/fleet.rs (the
CLI's file) and tests/js/export-browser.test.mjs (the browser's export module's file):

    .venv/bin/python tests/oracle/read_kdbx.py FILE.kdbx MASTER_PASSWORD_FILE
"""

import json
import sys

from pykeepass import PyKeePass
from pykeepass.exceptions import CredentialsError
from pykeepass.kdbx_parsing.kdbx4 import kdf_uuids


def kdf(kp: PyKeePass) -> str:
    """The key derivation's name, from its UUID (PyKeePass.kdf_algorithm knows KDBX 4.0 only,
    and the file may say 4.1)."""
    uuid = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict["$UUID"].value
    return next((name for name, u in kdf_uuids.items() if u == uuid), "unknown")


def main() -> None:
    path, password_file = sys.argv[1], sys.argv[2]
    with open(password_file, encoding="utf-8") as f:
        password = f.readline().rstrip("\r\n")
    try:
        PyKeePass(path, password=password + "-wrong")
        wrong_refused = False
    except CredentialsError:
        wrong_refused = True
    kp = PyKeePass(path, password=password)
    print(
        json.dumps(
            {
                "version": list(kp.version),
                "kdf": kdf(kp),
                "cipher": kp.encryption_algorithm,
                "wrongPasswordRefused": wrong_refused,
                "entries": [
                    {
                        "title": e.title,
                        "username": e.username,
                        "password": e.password,
                        "serverId": e.get_custom_property("Server ID"),
                        "url": e.url,
                        "notes": e.notes,
                    }
                    for e in kp.entries
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
