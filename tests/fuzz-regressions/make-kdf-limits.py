#!/usr/bin/env python3
"""Writes the key-derivation cost inputs of tests/fuzz-regressions/key/ from tests/fixtures/.

Each file is a `key` fuzz input (fuzz/src/lib.rs): one byte n (0: no passphrase, else 1 +
passphrase length), the passphrase, the key file. Its name is `EXPECTED--what`, EXPECTED being the
error code (or "ok") that tests/fuzz_regressions.rs asserts. Inputs at the limits come without a
passphrase: the costs are checked before the passphrase is asked for, so PASSPHRASE_REQUIRED
means "accepted" without spending the work. Run from anywhere; needs openssl.
"""
import base64, os, struct, subprocess, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FIX = os.path.join(ROOT, 'tests', 'fixtures')
OUT = os.path.join(ROOT, 'tests', 'fuzz-regressions', 'key')
PASS = open(os.path.join(FIX, 'passphrase.txt'), 'rb').read()


def write(name, key_file, passphrase=PASS):
    head = bytes([0]) if passphrase is None else bytes([len(passphrase) + 1]) + passphrase
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(head + key_file)


# DER: just enough to rewrite the scrypt parameters of an EncryptedPrivateKeyInfo.
def parse(data, i=0, end=None):
    end = len(data) if end is None else end
    items = []
    while i < end:
        tag, length = data[i], data[i + 1]
        start = i + 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(data[start:start + n], 'big')
            start += n
        body = data[start:start + length]
        items.append([tag, parse(data, start, start + length) if tag in (0x30, 0x31, 0xA0) else body])
        i = start + length
    return items


def encode(items):
    out = b''
    for tag, value in items:
        body = encode(value) if isinstance(value, list) else value
        n = len(body)
        length = bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, 'big')
        out += bytes([tag]) + length + body
    return out


def integer(n):
    return n.to_bytes((n.bit_length() + 8) // 8, 'big')


with tempfile.TemporaryDirectory() as tmp:
    der_path = os.path.join(tmp, 'scrypt.der')
    subprocess.run(['openssl', 'pkcs8', '-topk8', '-in', os.path.join(FIX, 'rsa2048.pkcs1.pem'), '-v2', 'aes-256-cbc',
                    '-scrypt', '-scrypt_N', '2', '-scrypt_r', '1', '-scrypt_p', '1', '-passout', 'pass:' + PASS.decode(),
                    '-outform', 'DER', '-out', der_path], check=True)
    tree = parse(open(der_path, 'rb').read())
# EncryptedPrivateKeyInfo { { pbes2, { { scrypt, { salt, N, r, p } }, cipher } }, data }
scrypt = tree[0][1][0][1][1][1][0][1][1][1]


def scrypt_key(name, n, r, p, passphrase=PASS):
    scrypt[1][1], scrypt[2][1], scrypt[3][1] = integer(n), integer(r), integer(p)
    write(name, encode(tree), passphrase)


# Found writing the fuzz target (a timeout or out-of-memory in it before the fix): only the table (128 r N) was bounded; the lanes (128 r p) allocated 137 GB.
scrypt_key('KEY_FORMAT_UNSUPPORTED--scrypt-lanes-allocate-137GB', 2, 16383, 65535)
# Found writing the fuzz target (a timeout or out-of-memory in it before the fix): a 256 MiB table mixed 4096 times (hours of work).
scrypt_key('KEY_FORMAT_UNSUPPORTED--scrypt-256MiB-table-4096-lanes', 1 << 20, 2, 4096)
scrypt_key('PASSPHRASE_REQUIRED--scrypt-256MiB-table-is-allowed', 1 << 18, 8, 1, None)
scrypt_key('PASSPHRASE_REQUIRED--scrypt-1GiB-work-is-allowed', 1 << 18, 8, 4, None)
scrypt_key('KEY_FORMAT_UNSUPPORTED--scrypt-1.25GiB-work', 1 << 18, 8, 5, None)

# OpenSSH: bcrypt-pbkdf rounds sit in the clear kdfoptions (string salt, uint32 rounds).
text = open(os.path.join(FIX, 'rsa2048.openssh-aes256ctr')).read()
blob = bytearray(base64.b64decode(''.join(l for l in text.splitlines() if not l.startswith('-----'))))
i = len(b'openssh-key-v1\0')
for _ in range(2):  # cipher name, kdf name
    i += 4 + struct.unpack('>I', blob[i:i + 4])[0]
rounds_at = i + 4 + 4 + struct.unpack('>I', blob[i + 4:i + 8])[0]


def openssh_key(name, rounds, passphrase=PASS):
    blob[rounds_at:rounds_at + 4] = struct.pack('>I', rounds)
    b64 = base64.b64encode(bytes(blob)).decode()
    lines = '\n'.join(b64[j:j + 70] for j in range(0, len(b64), 70))
    write(name, f'-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n'.encode(), passphrase)


# Found writing the fuzz target (a timeout or out-of-memory in it before the fix): rounds had no bound (4294967295 rounds: days of work).
openssh_key('KEY_FORMAT_UNSUPPORTED--openssh-bcrypt-4294967295-rounds', 0xFFFFFFFF)
openssh_key('PASSPHRASE_REQUIRED--openssh-bcrypt-1000-rounds-is-allowed', 1000, None)
openssh_key('KEY_FORMAT_UNSUPPORTED--openssh-bcrypt-1001-rounds', 1001, None)

# PuTTY v3: Argon2 parameters are header lines.
ppk = open(os.path.join(FIX, 'rsa2048.ppk3-encrypted')).read()


def ppk_key(name, memory, passes, passphrase=PASS, repeat=None):
    text = ppk.replace('Argon2-Memory: 8192', f'Argon2-Memory: {memory}')
    text = text.replace('Argon2-Passes: 13', f'Argon2-Passes: {passes}' + (f'\nArgon2-Passes: {repeat}' if repeat else ''))
    write(name, text.encode(), passphrase)


# Found writing the fuzz target (a timeout or out-of-memory in it before the fix): passes had no bound.
ppk_key('KEY_FORMAT_UNSUPPORTED--ppk3-argon2-4294967295-passes', 8192, 4294967295)
ppk_key('KEY_FORMAT_UNSUPPORTED--ppk3-argon2-256MiB-1000-passes', 262144, 1000)
# ssh-key reads the last of repeated headers: the check must see every one.
ppk_key('KEY_FORMAT_UNSUPPORTED--ppk3-argon2-passes-repeated', 8192, 13, PASS, 4294967295)
ppk_key('PASSPHRASE_REQUIRED--ppk3-argon2-256MiB-16-passes-is-allowed', 262144, 16, None)
ppk_key('KEY_FORMAT_UNSUPPORTED--ppk3-argon2-256MiB-17-passes', 262144, 17, None)
ppk_key('KEY_MALFORMED--ppk3-argon2-passes-not-a-number', 8192, '1e9', None)
