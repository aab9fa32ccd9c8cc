#!/usr/bin/env bash
# Writes the seed corpora fuzz/corpus/<target>/ from tests/fixtures/, the documentation's
# examples, and a few keys made here with the cheapest key-derivation settings the formats allow
# (so that the fuzzer's unlocking runs stay fast). Run from anywhere; needs openssl, ssh-keygen
# and puttygen (scripts/setup.sh installs them). Deterministic except for the generated keys'
# salts. The inputs' layouts are described in fuzz/src/lib.rs.
set -euo pipefail
cd "$(dirname "$0")"
FIX=../tests/fixtures
PASS=$(cat "$FIX/passphrase.txt")
rm -rf corpus
mkdir -p corpus/{key,ciphertext,iam,nova,api_response,signer}

# seed TARGET NAME [BYTES...]: writes the remaining arguments' bytes (printf %b) to the file.
seed() { local t=$1 n=$2; shift 2; printf '%b' "$@" >"corpus/$t/$n"; }
# key seed: a length byte (0 = no passphrase, else 1 + passphrase length), passphrase, file.
key_seed() { # NAME FILE [PASSPHRASE]
  local name=$1 file=$2 pass=${3-}
  if [ $# -lt 3 ]; then
    { printf '\000'; cat "$file"; } >"corpus/key/$name"
  else
    { printf "\\$(printf '%03o' $((${#pass} + 1)))%s" "$pass"; cat "$file"; } >"corpus/key/$name"
  fi
}

# --- key: every fixture file, no passphrase (encrypted ones stop before key derivation) -------
for f in "$FIX"/*; do
  case $f in *.b64|*.txt|*.json|*.md|*.sh) continue ;; esac
  [ -f "$f" ] || continue
  case $(basename "$f") in rsa3072.*|rsa4096.*) case $f in *pkcs8.pem) ;; *) continue ;; esac ;; esac
  key_seed "$(basename "$f")" "$f"
done
key_seed published-horizon.pem "$FIX/published/horizon.key.pem"
key_seed published-horizon-as-published.txt "$FIX/published/horizon.key.as-published.txt"
# Cheap unlocks of real fixtures: legacy PEM (one MD5) and PBKDF2 with 2048 iterations.
for f in legacy-aes128cbc.pem legacy-des3.pem pkcs8-pbkdf2-sha1-aes128cbc.pem pkcs8-pbkdf2-des3.pem pkcs8-pbkdf2-sha256-aes256cbc.der; do
  key_seed "pass-rsa2048.$f" "$FIX/rsa2048.$f" "$PASS"
done
key_seed wrong-pass-rsa2048.legacy-aes256cbc.pem "$FIX/rsa2048.legacy-aes256cbc.pem" "wrong passphrase"

# The same key locked with the cheapest settings of each scheme.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
openssl pkcs8 -topk8 -in "$FIX/rsa2048.pkcs1.pem" -v2 aes-256-cbc -scrypt -scrypt_N 2 -scrypt_r 1 -scrypt_p 1 \
  -passout "pass:$PASS" -out "$TMP/scrypt.pem"
key_seed pass-cheap.pkcs8-scrypt.pem "$TMP/scrypt.pem" "$PASS"
openssl pkcs8 -topk8 -in "$FIX/rsa2048.pkcs1.pem" -v2 aes-128-cbc -v2prf hmacWithSHA512 -iter 1 \
  -passout "pass:$PASS" -out "$TMP/pbkdf2.pem"
key_seed pass-cheap.pkcs8-pbkdf2-sha512.pem "$TMP/pbkdf2.pem" "$PASS"
for cipher in aes256-ctr aes256-gcm@openssh.com chacha20-poly1305@openssh.com aes128-cbc; do
  cp "$FIX/rsa2048.openssh" "$TMP/ossh" && chmod 600 "$TMP/ossh"
  ssh-keygen -q -p -a 1 -Z "$cipher" -N "$PASS" -P "" -f "$TMP/ossh" >/dev/null
  key_seed "pass-cheap.openssh-${cipher%%@*}" "$TMP/ossh" "$PASS"
done
for kdf in argon2id argon2i argon2d; do
  puttygen "$FIX/rsa2048.pkcs1.pem" -O private -o "$TMP/k.ppk" --new-passphrase <(printf '%s\n' "$PASS") \
    --ppk-param "version=3,kdf=$kdf,memory=8,passes=1,parallelism=1" -C cheap
  key_seed "pass-cheap.ppk3-$kdf" "$TMP/k.ppk" "$PASS"
done
puttygen "$FIX/rsa2048.pkcs1.pem" -O private -o "$TMP/k2.ppk" --new-passphrase <(printf '%s\n' "$PASS") \
  --ppk-param version=2 -C cheap
key_seed pass-rsa2048.ppk2 "$TMP/k2.ppk" "$PASS"

# --- ciphertext: every ciphertext fixture, and the shapes users paste ------------------------
for f in "$FIX"/*.ciphertext*.b64 "$FIX"/published/*.ciphertext.b64; do
  cp "$f" "corpus/ciphertext/$(basename "$f")"
done
C=$(tr -d '\n' <"$FIX/rsa2048.ciphertext.b64")
seed ciphertext json "{\"password\": \"$C\"}"
seed ciphertext json-empty '{"password": ""}'
seed ciphertext quoted "\"$C\""
seed ciphertext unpadded "${C%%=*}"
{ printf '\000'; base64 -d <"$FIX/rsa2048.ciphertext.b64"; } >corpus/ciphertext/raw-block

# --- iam: grants and policies from docs/permissions.md and the tests ---------------------------
seed iam grants-system '{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}}]}'
seed iam grants-ep '{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"enterpriseProject": "ep-1"}}, {"policy": "ECS CommonOperations", "scope": {"project": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}}]}\000@ep=ep-1\n'
seed iam policy-allow-deny '{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:get*", "ecs:cloudServers:resetServerPwd"]}, {"Effect": "Deny", "Action": ["ecs:serverPasswords:manage"]}]}'
seed iam policy-conditions '{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:*"], "Condition": {"StringEqualsIgnoreCase": {"g:UserName": ["alice"]}, "DateLessThan": {"g:CurrentTime": "2030-01-01T00:00:00Z"}, "ForAllValues:StringNotEqualsIfExists": {"g:SourceIp": ["10.0.0.1", "2001:db8::1"]}, "NumberGreaterThanEquals": {"g:MFAAge": 1.5}, "Bool": {"g:MFAPresent": "true"}, "StringMatch": {"ecs:ResourceTag/env": "prod-*"}}}]}\000g:UserName=Alice\ng:CurrentTime=2026-01-01T00:00:00Z\ng:SourceIp=10.1.2.3\ng:MFAPresent=true\necs:ResourceTag/env=prod-1\n'
seed iam policy-resources '{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:cloudServers:*"], "Resource": ["ecs:*:*:instance:5b4a3c2d-*"]}, {"Effect": "Deny", "Action": ["ecs:cloudServers:list*", "ecs:serverPasswords:*"], "Condition": {"StringNotEquals": {"g:DomainName": ["d"]}, "ForAnyValue:StringEquals": {"g:ProjectName": ["cn-north-4"]}, "Null": {"g:UserId": "false"}}}]}\000@region=cn-north-4\n@domain=d1\ng:DomainName=d\n'
seed iam grants-custom '{"grants": [{"name": "mine", "policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:serverPasswords:manage", "ecs:cloudServers:get"]}]}, "scope": {"project": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}}]}'
seed iam role-depends '{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:*"]}], "Depends": [{"catalog": "BASE", "display_name": "Server Administrator"}]}'

# --- nova: policy files in YAML and JSON ----------------------------------------------------------
seed nova yaml-defaults '"os_compute_api:os-server-password:show": "rule:project_reader_or_admin"\n"os_compute_api:os-server-password:clear": "rule:project_member_or_admin"\n\000roles=reader\n'
seed nova yaml-custom '# operator overrides\nadmin_or_owner: "is_admin:True or project_id:%(project_id)s"\nos_compute_api:os-server-password:show: "rule:admin_or_owner and not role:observer"\nos_compute_api:os-server-password:clear: "(role:member or role:Admin) and (project_id:%(project_id)s or user_id:%(user_id)s)"\n\000roles=member,observer\nuser=u1\ntarget_user=u1\n'
seed nova yaml-bare-bang 'os_compute_api:os-server-password:clear: !\nos_compute_api:os-server-password:show: "@"\n'
seed nova json-lists '{"context_is_admin": "role:admin", "os_compute_api:os-server-password:show": [["role:reader", "project_id:%(project_id)s"], ["rule:context_is_admin"]], "os_compute_api:os-server-password:clear": null}\000roles=admin\nproject=other\n'
seed nova yaml-literals 'os_compute_api:os-server-password:show: >\n  '"'"'member'"'"':%(role)s or True:%(is_admin)s or 42:%(x)s\n  or system_scope:all or domain_id:d1\n\000system=all\ndomain=d1\nproject=\n'
seed nova yaml-remote-cycle 'a: "rule:b"\nb: "rule:a"\nos_compute_api:os-server-password:show: "rule:a or http://example.invalid/check"\n'

# --- api_response: status (2 bytes), headers, blank line, body -------------------------------------
api() { printf '%b' "$(printf '\\%03o\\%03o' $(($2 / 256)) $(($2 % 256)))$3\r\n\r\n$4" >"corpus/api_response/$1"; }
api password 200 'Content-Type: application/json' "{\"password\": \"$C\"}"
api password-empty 200 'X-Request-Id: req-1' '{"password": ""}'
api cleared 204 '' ''
api reset-flag 200 '' '{"resetpwd_flag": "True"}'
api server 200 '' '{"server": {"id": "s1", "name": "win-01", "status": "ACTIVE", "key_name": "kp", "metadata": {"os_type": "Windows"}, "enterprise_project_id": "ep1"}}'
api keypair 200 '' '{"keypair": {"name": "kp", "public_key": "ssh-rsa AAAA x", "fingerprint": "c2:38"}}'
api servers-v1 200 '' '{"count": 3, "servers": [{"id": "a"}, {"id": "b"}]}'
api servers-native 200 '' '{"servers": [{"id": "a"}, {"id": "b"}], "servers_links": [{"rel": "next", "href": "https://x/v2.1/p1/servers/detail?limit=2&marker=b"}]}'
api ecs-error 404 'X-Request-Id: r2' '{"error": {"code": "Ecs.0114", "message": "Instance not found"}}'
api apigw-error 429 'Retry-After: 3' '{"error_code": "APIGW.0308", "error_msg": "too many", "request_id": "body-id"}'
api nova-fault 500 '' '{"computeFault": {"code": 500, "message": "Unexpected API Error."}}'
api html 503 'Retry-After: 120' '<html>Service Unavailable</html>'
api iam-error 401 '' '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}'
api pdp 403 '' '{"error_code": "Pdp.0001", "error_msg": "Policy doesn'"'"'t allow ecs:serverPasswords:manage"}'

# --- signer: method byte, URL, headers, blank line, body -----------------------------------------
seed signer get '\000https://ecs.cn-north-4.myhuaweicloud.com/v1/p/cloudservers/s/os-server-password\nContent-Type: application/json\nX-Project-Id: p\n\n'
seed signer put '\001https://ecs.example.com:8443/v2.1/p/servers/s/action?b=2&a=1&a=0&c=%20x+y\nX-Sdk-Content-Sha256: UNSIGNED-PAYLOAD\nTEST_UNDERSCORE: x\nHost: other.example.com\n\n{"reset-password": {"new_password": "x"}}'
seed signer escaped '\003http://127.0.0.1/a%2Fb/%E4%B8%AD/~x/./../y/\nauthorization: old\nX-Multi: 1\nx-multi: 0\n\n'
seed signer endpoint-otc '\004https://ecs.eu-de.otc.t-systems.com\nX-Project-Id: p\n\n'
seed signer endpoint-proxy '\005http://127.0.0.1:8080/proxy/ecs/\n\n'
seed signer endpoint-nova '\002https://nova.example.com:8774/v2.1/0a1b2c3d4e5f60718293a4b5c6d7e8f9\nX-Auth-Token: t\n\n'
