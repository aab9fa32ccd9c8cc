# The English messages of ecs-password (Project Fluent, https://projectfluent.org/fluent/guide/).
# One home for the words: the core builds messages as an id and arguments (src/message.rs), the
# CLI renders them with fluent-bundle, the widget with @fluent/bundle. Every id here is also in
# locales/zh/ecs-password.ftl, with the same placeables (tests/catalogue.rs checks).
# Secrets never reach a placeable: no constructor takes one.

## The generic text of each error code: `error-` and the code in lower case with dashes. The
## widget shows it when an error comes without a message of its own (a worker, the clipboard).
error-key-malformed = The key file is damaged or cut short. Choose the complete file.
error-key-format-unsupported = This is not a private key this tool reads (a public key, a certificate, PuTTY v1…). Choose the private key file.
error-key-not-rsa = This key is not an RSA key (Ed25519, ECDSA or DSA): Windows passwords are only ever encrypted to RSA key pairs.
error-passphrase-required = This key is protected by a passphrase: enter it.
error-wrong-passphrase = The passphrase does not unlock this key. Check it and try again.
error-ciphertext-malformed = The encrypted password is not valid base64 of an RSA block.
error-wrong-key = This password was encrypted to another key pair: choose the private key of the server's key pair.
error-password-not-available = The server has not posted a password (not yet, or it was cleared).
error-plaintext-invalid = The key decrypted the password but the result is not text.
error-policy-invalid = An IAM policy of your grants is not valid.
error-grants-invalid = The grants given to this page are not valid.
error-not-in-table = This request is not one of the password APIs.
error-endpoint-invalid = The endpoint is not valid: use https (http only for this computer), without user, query or fragment.
error-id-invalid = A project or server ID is not valid.
error-operation-unsupported = This API family does not offer this operation.
error-auth-failed = The cloud did not accept your credentials (missing, wrong or expired). Sign in again.
error-forbidden = The cloud refused: you lack the permission for this operation on this server.
error-server-not-found = The cloud knows no such server in this project.
error-key-pair-not-found = The server's key pair was not found.
error-project-mismatch = The project ID does not match your credentials.
error-password-rejected = The cloud rejected the new password: check the rules.
error-reset-failed = The cloud could not reset the password.
error-rate-limited = The cloud asked to slow down. Try again in a moment.
error-cloud-unavailable = The cloud is unavailable right now. Try again later.
error-cloud-error = The cloud answered with an error.
error-response-invalid = The cloud's answer could not be read.
error-network-error = The cloud could not be reached (network, CORS or the page's security policy). Use a same-origin proxy path.
error-timeout = The cloud did not answer in time.
error-cancelled = Cancelled.
error-mfa-required = Signing in needs the code from your MFA device.
error-endpoint-not-found = No endpoint was found for this service and region.
error-project-not-found = No project with this name was found.
error-key-not-hosted = The cloud does not hold this key pair's private key: use your key file.
error-kdbx-failed = The KeePass file could not be made (is the master password empty?).
error-kps-refused = The Key Pair Service refused to export the private key.
error-browser-unsupported = This browser cannot run the decryption module: it needs WebAssembly with SIMD (Chrome or Edge 91, Firefox 89, Safari 16.4 or later). Update the browser and reload the page.
error-no-credentials = Sign in first: the widget has no credentials.
error-worker-failed = The decryption worker failed to start.
error-clipboard-failed = The browser did not allow copying. Select the password and copy it yourself.
error-unknown = Something went wrong.

## Keys (src/key/, src/decrypt.rs). $format is the container's name (PKCS#1 PEM, OpenSSH...);
## $detail is a key-detail-* message or a library's own diagnostic.
key-malformed = The key file looks like { $format }, but its contents are damaged ({ $detail }). Open the original file again, or copy the whole key including its BEGIN and END lines.
key-not-a-key = This is not a private key file this tool can read. Choose the private key of the server's key pair: a .pem file (BEGIN RSA PRIVATE KEY, BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY), an OpenSSH key (BEGIN OPENSSH PRIVATE KEY, e.g. ~/.ssh/id_rsa) or a PuTTY .ppk file.
# The article goes with how the name is spoken ("an Ed25519", "a DSA", "a FIDO security key").
key-not-rsa = This is { $key_type ->
        [Ed25519] an
        [Ed448] an
        [ECDSA] an
        [X25519] an
       *[other] a
    } { $key_type } key, not an RSA key. Windows passwords are encrypted to the RSA key pair the server was created with: choose that key pair's private key. (A server created with { $key_type ->
        [Ed25519] an
        [Ed448] an
        [ECDSA] an
        [X25519] an
       *[other] a
    } { $key_type } key pair never receives an encrypted password.)
key-not-rsa-other = This key is not an RSA key. Windows passwords are encrypted to the RSA key pair the server was created with: choose that key pair's private key.
key-encryption-unsupported = This { $format } key file is intact, but it is encrypted with { $scheme }, which this tool does not read. Re-encrypt it with AES (the key itself stays the same): openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW{ $legacy ->
        [yes] {" "}(OpenSSL 3 reads this old scheme only with -provider legacy -provider default added).
       *[no] .
    }
key-passphrase-required = This { $format } key file is protected by a passphrase. Enter the passphrase to unlock it.
key-wrong-passphrase = The passphrase does not unlock this { $format } key file. Check it and try again (passphrases are case-sensitive).
key-wrong-size = This is the wrong key: the password was encrypted to a { $ciphertext_bits }-bit RSA key, and this key is { $key_bits }-bit. Choose the private key of the key pair the server was created with.
key-wrong = This is the wrong key: the password was encrypted to a different key pair. Choose the private key of the key pair the server was created with (compare the fingerprints).
ciphertext-malformed = The encrypted password is not valid: { $detail }. Copy the whole value of the "password" field returned by the os-server-password API.
password-not-available = The server has not posted its password yet, or it was cleared. A new Windows server posts it 5 to 10 minutes after its first boot: try again later.
plaintext-invalid = The password decrypted, but it is not text. The ciphertext was probably not made by the server's password agent, or it was encrypted to another key: check the key pair.
plaintext-empty = The ciphertext decrypted with this key, but to an empty message, which is no password. Get the password from the os-server-password API again.
detail-raw = { $text }
key-detail-openssh-structure = the OpenSSH key structure does not parse
key-detail-ppk-header = the first line is not a PuTTY key header
key-detail-ppk-mac = its integrity check (MAC) fails: the file was modified
key-detail-ppk-structure = the PuTTY key structure does not parse
key-detail-not-rsa-pair = the key data is not an RSA key pair
key-detail-rsa-inconsistent = the RSA key's numbers are inconsistent
key-detail-rsa-structure = the RSA key structure does not parse
key-detail-pkcs8-structure = the PKCS#8 structure does not parse
key-detail-rsa-inside = the RSA key inside does not parse
key-detail-encrypted-pkcs8-structure = the encrypted PKCS#8 structure does not parse
key-detail-dek-info-missing = the DEK-Info header is missing
key-detail-dek-info-no-iv = the DEK-Info header has no IV
key-detail-dek-info-iv = the DEK-Info IV is not valid hex of the right length
key-detail-pbes2-parameters = the PBES2 parameters do not parse
key-detail-pkcs12-parameters = the PKCS#12 encryption parameters do not parse
key-detail-public-line = it is not one line of the form "ssh-rsa AAAA... comment"
key-detail-public-numbers = its RSA numbers are not usable
key-detail-pem-base64 = the PEM text between BEGIN and END is not valid base64
key-detail-pem-end = the END line is missing or does not match the BEGIN line
key-detail-public-encoding = its public key cannot be encoded
key-detail-not-a-number = { $name } is not a number
key-unsupported-bcrypt-rounds = An OpenSSH key protected by { $rounds } bcrypt-pbkdf rounds cannot be used here. At most 1000 rounds are supported. Change it with: ssh-keygen -p -a 100 -f KEYFILE
key-unsupported-openssh-cipher = An OpenSSH key encrypted with { $cipher } cannot be used here. Supported: aes256-ctr (ssh-keygen's default), aes128/192-ctr, AES-CBC, aes256-gcm and chacha20-poly1305. Change it with: ssh-keygen -p -Z aes256-ctr -f KEYFILE
key-unsupported-ppk1 = A PuTTY key file of version 1 (PuTTY before 0.52) cannot be used here. Open it in a current PuTTYgen and save it again, or export it: Conversions > Export OpenSSH key.
key-unsupported-argon2-memory = A PuTTY key whose Argon2 needs { $mib } MiB of memory cannot be used here. At most 256 MiB is supported. Save it again in PuTTYgen with default parameters.
key-unsupported-argon2-work = A PuTTY key whose Argon2 makes { $passes } passes over { $mib } MiB (4 GiB of work is the most) cannot be used here. Save it again in PuTTYgen with default parameters (Key > Parameters for saving key files).
key-unsupported-pkcs12 = A PKCS#12 (.pfx / .p12) bundle cannot be used here. Export the private key from it first: openssl pkcs12 -in FILE.pfx -nocerts -nodes -out key.pem
key-unsupported-scrypt-memory = A key protected by scrypt needing { $mib } MiB of memory cannot be used here. At most 256 MiB is supported. Re-export it with default parameters: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-scrypt-work = A key protected by scrypt with N={ $n }, r={ $r } and p={ $p } (1 GiB of work is the most) cannot be used here. Its parallelization p makes unlocking take too long. Re-export it with default parameters: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-pbkdf2-iterations = A key protected by { $iterations } PBKDF2 iterations cannot be used here. At most 10,000,000 iterations are supported. Re-export it: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-rsa-pss = An RSA-PSS key cannot be used here. It is restricted to signatures. Use the key pair's ordinary RSA private key (BEGIN RSA PRIVATE KEY).
key-unsupported-certificate = A certificate cannot be used here. A certificate holds only a public key: choose the private key file instead.
key-unsupported-pgp = A PGP key cannot be used here. Windows passwords are encrypted to an SSH key pair: choose that key pair's private key.
key-unsupported-pem-label = A PEM block labelled "{ $label }" cannot be used here. Choose the private key of the server's key pair (BEGIN RSA PRIVATE KEY, BEGIN PRIVATE KEY, BEGIN ENCRYPTED PRIVATE KEY or BEGIN OPENSSH PRIVATE KEY).
key-unsupported-public-key = A public key cannot be used here. Decryption needs the private key of the key pair (the file you downloaded when the key pair was created, e.g. KeyPair-xxxx.pem or ~/.ssh/id_rsa), not its public key.
key-unsupported-legacy-cipher = An OpenSSL encrypted PEM with cipher "{ $cipher }" cannot be used here. Supported: AES-128/192/256-CBC, DES-EDE3-CBC and DES-CBC. Re-export the key: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-pkcs12-iterations = A key protected by { $iterations } PKCS#12 key-derivation iterations cannot be used here. Between 1 and 10,000,000 iterations are supported. Re-encrypt it: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
password-too-long-for-key = The password is too long for a { $bits }-bit key.
ciphertext-detail-size = it decodes to { $bytes } bytes, which is no RSA block size (this { $bits }-bit key expects { $expected } bytes); it may be cut short
ciphertext-detail-character = it contains { $character }, which is not a base64 character
ciphertext-detail-incomplete = it is not complete base64 (its length or padding is wrong)

## Answers of the cloud (src/api/response.rs, client.rs, request.rs). $reason is one of the
## cloud-* messages below; $cloud_code is the cloud's own code (Ecs.0114, APIGW.0301...).
cloud-answer = { $reason } (HTTP { $status })
cloud-answer-coded = { $reason } (HTTP { $status }, { $cloud_code })
response-invalid = The cloud's answer could not be understood: { $detail }. If a proxy or gateway sits in between, check that it passes the API through.
cloud-server-not-found = The server was not found in this project. Check the server id and that the project (and region) is the one the server is in.
cloud-key-pair-gone = The server's key pair no longer exists in this project. You can still decrypt with the private key you kept; its fingerprint just cannot be checked first.
cloud-not-found = The server or the API was not found. Check the server id, the project and the endpoint (region).
cloud-pdp-denied = Your IAM policies do not allow this operation (Pdp.0001). Ask your administrator for the action the permission check names, in this project.
cloud-account-restricted = The account is restricted (for example in arrears or frozen), so the operation is refused. Settle the account or contact the cloud's support.
cloud-forbidden = The cloud refused this operation for your credentials (403). Check your permissions for this project and server.
cloud-project-mismatch = The token belongs to another project than the one in the request. Get a token scoped to the server's project (and region).
cloud-auth-failed = The cloud did not accept the credentials: the token is invalid or expired, or the AK/SK signature is wrong (a clock more than 15 minutes off also breaks it). Sign in again.
cloud-password-rejected = The cloud rejected the new password: it does not meet the complexity rules. Use the generator or follow the listed rules.
cloud-reset-plugin = The server's one-click password reset plug-in is missing or not working, so the password cannot be reset through the API. Install the plug-in in the server, or reset the password inside it.
cloud-server-locked = The server is locked, so its password cannot be reset now. Unlock it (or wait for the operation that locked it to finish) and try again.
cloud-reset-failed = The password reset failed on the cloud's side. Check that the server is running or stopped (not in a transitional state) and try again.
cloud-rate-limited = The cloud is limiting requests (429). Wait a minute and try again.
cloud-unavailable = The cloud could not answer right now (server error). Try again in a few minutes; if it persists, quote the request id to the cloud's support.
cloud-refused = The cloud refused the request. Its own message and code are shown below; quote the request id to the cloud's support if needed.
answer-too-large = the answer is larger than 4 MiB
answer-not-json = it is not JSON
answer-not-utf8 = it is not UTF-8 text
answer-not-documented = it is not the JSON the API documents
answer-not-zip = it is not a ZIP archive
answer-no-private-key = it holds no private key
answer-server-no-id = the server has no id
answer-key-pair-incomplete = the key pair has no name or public key
answer-header-missing = the { $header } header is missing
answer-field-missing = "{ $field }" is missing
answer-field-type = "{ $field }" is not { $kind ->
        [string] a string
        [boolean] a boolean
       *[time] an ISO 8601 time
    }
answer-other-key-pair = it is about key pair "{ $got }", not "{ $expected }"

## The Key Pair Service (src/api/kps.rs).
kps-export-invalid = KPS's export answer could not be understood: { $detail }. If a proxy or gateway sits in between, check that it passes the API through.
kps-batch-size = A batch export names 1 to { $max } different key pairs (this one names { $count }). Split the list.
kps-not-hosted = The private key of key pair "{ $name }" is not hosted by the cloud (KPS says is_key_protection: false), so it cannot be exported. Use the private key file you downloaded when the key pair was created.
kps-auth-failed = KPS did not accept the credentials: the token is invalid or expired, or the AK/SK signature is wrong (a clock more than 15 minutes off also breaks it). Sign in again.
kps-forbidden = KPS refused (403): { $operation } needs { $actions } allowed in this project. Ask your administrator for a policy that allows { $actions }.
kps-forbidden-named = { $reason } The cloud names { $action }.
kps-key-pair-not-found = KPS has no key pair "{ $names }" in this project. Check the key pair name and that the KPS endpoint is the server's region.
kps-rate-limited = KPS is limiting requests (429). Wait a minute and try again.
kps-unavailable = KPS could not answer right now (server error). Try again in a few minutes; if it persists, quote the request id to the cloud's support.
kps-refused = KPS refused the request about key pair "{ $names }" (its private key may not be hosted, or the key pair may be frozen). Its own message and code are shown below; quote the request id to the cloud's support if needed.
kps-operation = { $operation ->
        [details] Querying SSH key pair details (whether the private key is hosted)
        [export] Exporting the hosted private key of a key pair
       *[batch-export] Exporting the hosted private keys of up to 10 key pairs
    }
transport-timeout = { $host } did not answer in time. Check the endpoint and your connection, then try again.
transport-network = Could not reach { $host } ({ $detail }). Check the endpoint (region), your network and proxy; in a browser, the cloud may not allow calls from this page (CORS): use a same-origin proxy.
wait-cancelled = Stopped waiting for the password.
endpoint-invalid = The endpoint is not usable: { $detail }. Give an https URL such as https://ecs.eu-de.otc.t-systems.com.
endpoint-detail-non-ascii = it contains the non-ASCII character { $character } (write an internationalised host name in its xn-- form)
endpoint-detail-not-url = it is not a URL
endpoint-detail-no-host = it has no host
endpoint-detail-http = plain http would expose the token; only loopback may use http
endpoint-detail-scheme = the scheme "{ $scheme }" is not https
endpoint-detail-credentials = it contains a user name or password
endpoint-detail-query = it contains a query or a fragment
reset-needs-password = A reset needs the new password.

## Why a password does not come (src/api/diagnosis.rs). $running and $wait are durations.
duration = { $unit ->
        [less] less than a minute
        [minute] { $n ->
            [one] { $n } minute
           *[other] { $n } minutes
        }
        [hour] { $n ->
            [one] { $n } hour
           *[other] { $n } hours
        }
       *[day] { $n ->
            [one] { $n } day
           *[other] { $n } days
        }
    }
-reset-instead = Reset the password instead (the one-click reset needs the reset plug-in in the server; without it, change it inside the server).
diagnosis-linux = This is a Linux server: Linux servers never post a password. Log in with the key pair's private key over SSH.
diagnosis-no-key-pair = The server was created without a key pair (with a password), so there is no encrypted password to get. Use the password set at creation, or reset it.
diagnosis-key-pair-not-rsa = The server's key pair is { $key_type }, not RSA: the password agent in the guest (Cloudbase-Init) encrypts only to RSA key pairs, so this server never posts a password. { -reset-instead }
diagnosis-cleared = The password was cleared: the server does not post it again by itself. { -reset-instead }
diagnosis-not-running = The server is { $status }: a guest that does not run posts nothing. Start it: a new Windows server posts its password 5 to 10 minutes after its first start.
diagnosis-building = The server is still being built. A new Windows server posts its password 5 to 10 minutes after its first start: try again in about 10 minutes.
diagnosis-booting = The server started { $running } ago, and a new Windows server posts its password 5 to 10 minutes after its first start: try again in about { $wait } (if the password was cleared instead, it does not come back: reset it).
diagnosis-age-unknown = The server has not posted its password yet, or it was cleared; the cloud does not say when it started. A new Windows server posts it 5 to 10 minutes after its first start: try again later.
diagnosis-no-agent = The server has run for { $running }, longer than the 5 to 10 minutes a Windows image with the password agent (Cloudbase-Init) needs to post its password: its image probably has no agent, or the password was cleared. Waiting will not help. { -reset-instead }
answer-unexpected = The cloud gave an answer of another kind than the one asked for.

## Ids and operations (src/route.rs).
id-invalid = The { $kind ->
        [project-id] project id
        [server-id] server id
        [key-pair-name] key pair name
        [marker] marker
        [region] region
       *[other] id
    } "{ $value }" is not valid: ids contain only letters, digits, '-', '_' and '.'.
operation-unsupported = The { $family } API has no "{ $operation }" operation. Reset is on v1 and v2.1; the reset-support flag is on v1 only.

## Signing in (src/signin/).
catalog-no-endpoint = The service catalog has no { $wanted } endpoint (it offers: { $offered }). Choose another region or interface, or give the endpoint.
region-unknown = The region "{ $region }" of { $cloud } is not in the region table (known: { $known }). Check the region, or give the endpoints yourself.
signin-no-project = The user signed in but has no project to work in: ask the cloud's administrator for a role in a project.
signin-mfa-no-user = The identity service asks for an MFA code, but this sign-in names no user to send it for: sign in with a user name and password.
signin-project-not-listed = Project { $id } is not one of the user's projects ({ $listed }): pick one of those.
signin-methods-unsupported = The identity service asks for sign-in methods ecs-password does not offer ({ $listed }): sign in with a password and a TOTP code, an application credential or a token.
signin-out-of-order = The sign-in was continued out of order (an answer or a choice came at the wrong step): start signing in again.
signin-nothing = Nothing to sign in with: give a password, an application credential or a token.
signin-project-name-unknown = No project called "{ $name }" is open to this user. The user's projects: { $shown }. Give one of these names, or the project id.
signin-project-name-ambiguous = More than one project is called "{ $name }" (ids { $ids }). Give the project's domain, or its id.
signin-region-projects = The account has { $count } projects named "{ $region }", not one, so the project id cannot be found from the region. Give the project id (HUAWEICLOUD_SDK_PROJECT_ID or --project).
identity-auth-failed = The identity service did not accept the sign-in: check the user name, the password (or secret), the domain (account) name and, with MFA, the code. A token may also have expired.
identity-forbidden = The identity service refused this sign-in for this user (403): the user may not have programmatic access, may be federated (SSO users cannot sign in with a password), or may not use this project.
identity-not-found = The identity service found no such project, domain or user (404). Check the names and the identity endpoint.
identity-rate-limited = The identity service is limiting requests (429). Wait a minute and try again.
identity-unavailable = The identity service could not answer right now (server error). Try again in a few minutes.
identity-refused = The identity service refused the request. Its own message and code are shown below.
ciphertext-detail-json = it starts like JSON but is not the API's {"{"}"password": "..."{"}"} object

## Permissions (src/permission/).
policy-invalid = The policy is not valid: { $detail }.
grants-invalid = The grants are not valid: { $detail }. Expected {"{"}"grants": [{"{"}"policy": "ECS ReadOnlyAccess" or {"{"}policy JSON{"}"}, "scope": {"{"}"project": "<id>"{"}"} or {"{"}"enterpriseProject": "<id>"{"}"}{"}"}]{"}"}.
not-in-table = "{ $request }" is not one of the password APIs in the permission table. Give a method and a path with the ids filled in, e.g. GET /v1/<project_id>/cloudservers/<server_id>/os-server-password.
detail-not-json = it is not valid JSON ({ $detail })
grants-detail-top-level = the top level must be an object with a "grants" array
grants-detail-at = grant { $n }: { $detail }
grants-detail-unknown-policy = "{ $name }" is not a system policy this tool knows ({ $known })
grants-detail-policy = "policy" must be a system policy name or a policy object
grants-detail-scope = "scope" must be {"{"}"project": "<id>"{"}"} or {"{"}"enterpriseProject": "<id>"{"}"}
call-cancelled = The call was cancelled.

## IAM permission reasons (src/permission/evaluate.rs): why the engine allows or denies a request.
## $policy is a policy's name; $statement its statement number (from 1); $action an IAM action;
## $api a request as "METHOD /path/template"; $scope_kind is project or enterprise-project and
## $scope the id. Notes (iam-note-*) are clauses: a denial lists them.
iam-allow = Allowed: "{ $policy }" (statement { $statement }), granted in { $scope_kind ->
        [enterprise-project] enterprise project { $scope }
       *[project] project { $scope }
    }, allows { $action }, which { $api } needs.
iam-allow-alias = Allowed: "{ $policy }" (statement { $statement }), granted in { $scope_kind ->
        [enterprise-project] enterprise project { $scope }
       *[project] project { $scope }
    }, allows { $action } (the newer name of { $documented }), which { $api } needs.
iam-explicit-deny = Denied: "{ $policy }" (statement { $statement }), granted in { $scope_kind ->
        [enterprise-project] enterprise project { $scope }
       *[project] project { $scope }
    }, explicitly denies { $action }. An explicit Deny overrides every Allow: ask your administrator to remove or narrow that statement.
# $example is a system policy's name or iam-example-custom-policy.
iam-implicit-deny-no-policies = Denied: no policy allows { $action } for { $api }. You have no policies. Ask your administrator for a policy that allows { $action } (for example { $example }) in this project.
# $policies lists iam-policy-name.
iam-implicit-deny-not-included = Denied: no policy allows { $action } for { $api }. None of your policies ({ $policies }) includes { $action }. Ask your administrator for a policy that allows { $action } (for example { $example }) in this project.
# $notes lists the iam-note-* clauses.
iam-implicit-deny-not-applicable = Denied: no policy allows { $action } for { $api }: { $notes }. Ask your administrator for a policy that allows { $action } (for example { $example }) in this project.
iam-policy-name = "{ $name }"
iam-example-custom-policy = a custom policy whose Action lists { $actions }
iam-note-other-project = "{ $policy }" is granted in project { $granted }, not in the request's project { $project }
iam-note-ep-unsupported = "{ $policy }" is granted through enterprise project { $enterprise_project }, and { $api } does not support enterprise projects
iam-note-ep-unsupported-use-v1 = "{ $policy }" is granted through enterprise project { $enterprise_project }, and { $api } does not support enterprise projects (use the v1 API)
iam-note-ep-unknown = "{ $policy }" is granted through enterprise project { $enterprise_project }, and the server's enterprise project is not known
iam-note-ep-other = "{ $policy }" is granted through enterprise project { $enterprise_project }, and the server belongs to enterprise project { $server_enterprise_project }
iam-note-dependency = the role "{ $policy }" depends on "{ $dependency }", which is not granted in { $scope_kind ->
        [enterprise-project] enterprise project { $scope }
       *[project] project { $scope }
    }: it grants nothing until "{ $dependency }" is granted there too
iam-note-other-resources = "{ $policy }" statement { $statement } matches { $action } but only for other resources than { $resource }
iam-note-resource-level = "{ $policy }" statement { $statement } matches { $action } but names resources, and { $api } does not support resource-level authorization
iam-note-condition = "{ $policy }" statement { $statement } matches { $action } but its condition { $operator } { $key } [{ $values }] does not hold for this request
# One password operation through every API family: $allowed and $denied list families (v1, v2.1, v2).
iam-operation-allowed = { $operation }: allowed through { $allowed }; use { $recommended }.
iam-operation-allowed-partly = { $operation }: allowed through { $allowed }, denied through { $denied }; use { $recommended }.
iam-operation-denied = { $operation }: denied through every API ({ $denied }).
# Two explanations in a row (a KPS request whose action and dependency are both denied).
iam-sentences = { $first } { $second }

## KPS permission reasons (check_kps in src/permission/evaluate.rs). $what is a kps-what-*
## message; $needs an action or kps-needs-with-dependencies.
kps-what-details = reading the details of key pair "{ $key_pair }"
kps-what-export = exporting the hosted private key of key pair "{ $key_pair }"
kps-what-batch-export = exporting hosted private keys in a batch ("{ $key_pair }")
kps-needs-with-dependencies = { $action } and its dependency { $dependencies }
kps-allowed-by = { $action } by "{ $policy }" (statement { $statement })
kps-allow = Allowed: { $what } needs { $needs }; your policies allow each: { $allowed_by }.
kps-deny = Denied: { $what } needs { $needs }, and { $missing } { $count ->
        [one] is
       *[other] are
    } not allowed. { $why }

## The permission table's descriptions (src/permission/table.rs), as the ECS and DEW API
## references word them.
table-reset-password-enterprise = Resetting the password for logging in to an ECS with a few clicks for enterprise projects
table-reset-flag = Displaying whether an ECS supports password reset
table-get-password = Obtaining the password for logging in to a Windows ECS
table-clear-password = Deleting the password for logging in to a Windows ECS
table-reset-password = Resetting the password for logging in to an ECS with a few clicks
table-get-password-openstack = Obtaining the password for logging in to a Windows ECS (native OpenStack)
table-clear-password-openstack = Deleting the password for logging in to a Windows ECS (native OpenStack)
kps-table-details = Querying SSH key pair details (whether the private key is hosted)
kps-table-export = Exporting the hosted private key of a key pair
kps-table-batch-export = Exporting the hosted private keys of up to 10 key pairs

## What is wrong with a policy document (src/permission/policy.rs, condition.rs): the $detail of
## policy-invalid.
policy-detail-version = Version must be "1.1" (fine-grained) or "1.0" (role), found "{ $found }"
policy-detail-version-missing = Version is missing: use "1.1" for a fine-grained policy
policy-detail-statement-empty = Statement is empty
policy-detail-statement-not-array = Statement must be an array of statements
policy-detail-statement-missing = Statement is missing
policy-detail-statement-at = Statement { $statement }: { $detail }
policy-detail-statement-not-object = it must be an object
policy-detail-unknown-field = unknown field "{ $field }" (expected Effect, Action, Resource, Condition)
policy-detail-effect = Effect must be "Allow" or "Deny", found "{ $found }"
policy-detail-effect-missing = Effect is missing
policy-detail-action-missing = Action is missing
policy-detail-action = Action "{ $action }" is not of the form service:resourceType:action (e.g. ecs:cloudServers:get)
policy-detail-resource = Resource "{ $resource }" is not of the form service:region:domainId:type:path (e.g. ecs:*:*:instance:*)
policy-detail-condition-not-object = Condition must be an object such as {"{"}"StringEquals": {"{"}"g:UserName": ["alice"]{"}"}{"}"}
policy-detail-condition = Condition: { $detail }
policy-detail-operator-unknown = "{ $operator }" is not a condition operator
policy-detail-operator-null = "{ $operator }": Null takes neither IfExists nor a ForAllValues/ForAnyValue qualifier
policy-detail-condition-keys = Condition { $operator } must map keys to values
policy-detail-condition-no-values = Condition { $operator } { $key } has no values
policy-detail-condition-value = Condition { $operator } { $key }: { $detail }
policy-detail-not-number = "{ $value }" is not a number
policy-detail-not-time = "{ $value }" is not an RFC 3339 time such as 2026-01-31T12:00:00Z
policy-detail-not-bool = "{ $value }" is not true or false
policy-detail-strings = { $field } must be a string or an array of strings

## New-password rules (src/api/password_rules.rs): what a broken rule says. $char is shown as
## '#', 'é' (U+00E9) or U+0020; $specials is the special characters the API allows.
rules-too-short = The password has { $length ->
        [one] 1 character
       *[other] { $length } characters
    }; at least { $min } are required.
rules-too-long = The password has { $length } characters; at most { $max } are allowed.
rules-invalid-character = The password contains the character { $char }, which is not allowed. Use only letters A-Z and a-z, digits 0-9 and the special characters { $specials }
rules-invalid-more = The password contains { $count ->
        [one] 1 more character that is not allowed.
       *[other] { $count } more characters that are not allowed.
    }
rules-too-few-kinds = The password uses { $used } of the 4 kinds of characters; at least { $required } are required. Add some of: { $missing }.
rules-kinds-2 = { $first }, { $second }
rules-kinds-3 = { $first }, { $second }, { $third }
rules-kinds-4 = { $first }, { $second }, { $third }, { $fourth }
rules-kind-upper = uppercase letters
rules-kind-lower = lowercase letters
rules-kind-digit = digits
rules-kind-special = special characters ({ $specials })
rules-forbidden-word = The password contains "{ $word }" (in any letter case), which is not allowed.
rules-forbidden-word-or-reverse = The password contains "{ $word }" or its reverse "{ $reverse }" (in any letter case), which is not allowed.
rules-user-name = The password contains more than two consecutive characters of the user name "{ $name }" (in any letter case), which is not allowed.
rules-leading-slash = The password starts with '/', which is not allowed on Windows.

## The KeePass export (export/). $detail is the writer's own diagnostic.
kdbx-failed = The KeePass file could not be made: { $detail }.
kdbx-master-empty = The KeePass file could not be made: the master password is empty, and a KeePass file needs one.

## Nova's policy (src/permission/nova/explain.rs, check.rs): why Nova lets a token show or clear a
## server's password, or not. $roles is a nova-roles message or a list of role names; $project a
## project id or nova-project-unknown; $check a policy check as written (role:member); $have a
## nova-have or nova-have-none message; $scope a nova-token-* or nova-scope-* message; $hint,
## $where, $also, $origin, $more an optional part (a message, or empty).
nova-sentences = { $first } { $next }
nova-clauses = { $first }; { $next }
nova-project-unknown = (unknown)
nova-roles = { $count ->
    [one] the role { $roles }
   *[other] the roles { $roles }
}
nova-role-implied = { $role } (implied by { $from })
nova-have = { $roles }
nova-have-none = no roles
nova-token-scoped = scoped to project { $project }
nova-token-unscoped = not scoped to any project
nova-hint-member = {" "}(or the member role, which includes it)
nova-field-roles = { $expected } among your roles (compared exactly, case-sensitively)
nova-field-matches = your { $field } to match the server's { $key } ({ $expected })
nova-field-is = your { $field } to be { $expected }
nova-allowed = Allowed: { $reasons }. Matched: `{ $matched }`.
nova-allowed-role-in-project = you have { $roles } in the server's project
nova-allowed-role-anywhere = you have { $roles }, which this rule accepts whatever project the server is in
nova-allowed-project = your token is scoped to the server's project
nova-allowed-always = the rule lets everyone in (@)
nova-allowed-empty = the rule is empty, and oslo.policy treats an empty rule as "allow everyone"
nova-allowed-not-role = you do not have the role { $role }
nova-allowed-not-project = your token is not scoped to the server's project
nova-allowed-field = the rule needs { $need }, and it does
nova-check-holds = `{ $check }` holds
nova-rule-holds = the rule holds
nova-allowed-opaque = Allowed: your credentials satisfy the rule `{ $expression }`.
nova-denied = Denied: { $reasons }.
nova-denied-unfixable = Denied: { $reason }. No role assignment can change this; only the cloud operator can change the policy.
nova-unfixable-never = the rule denies everyone (`!`)
nova-unfixable-always = the rule contains `{ $check }`, which never holds
nova-unfixable-undefined = the rule depends on rule:{ $rule }, which is not defined, so oslo.policy fails closed
nova-unfixable-no-target = the check `{ $check }` needs the server's { $key }, which Nova does not supply for this request, so it always fails
nova-target-value = value
nova-unfixable-unknown-field = the check `{ $check }` reads a credential field `{ $field }` that tokens do not carry, so it always fails{ $hint }
nova-hint-case = {" "}(check kinds are case-sensitive: did you mean `{ $kind }:…`?)
nova-unfixable-constant = the check `{ $check }` is false for this server, whoever asks
nova-needs-roles-in-project = the rule needs { $roles } in the server's project; you have { $have }
nova-ask-roles-in-project = Ask an administrator to give you { $roles }{ $hint } in project { $project }.
nova-needs-roles-in-other-project = the rule needs { $roles } in the server's project ({ $project }), but your token is { $scope }{ $where }
nova-where-you-have = {" "}(where you have { $have })
nova-ask-roles-then-scope = Ask an administrator to give you { $roles }{ $hint } in project { $project }, then use a token scoped to that project.
nova-needs-roles = the rule needs { $roles }; you have { $have }
nova-ask-roles = Ask an administrator to give you { $roles }{ $hint }.
nova-wrong-project = the token is { $scope } but the server is in project { $project }
nova-use-project-token = Use a token scoped to project { $project } (for example `openstack --os-project-id { $project } …`){ $also }.
nova-also-need = ; you need { $roles } in that project too
nova-refuses-role = the rule refuses anyone with the role { $role }, and you have it{ $origin }
nova-implied-by = {" "}(implied by { $from })
nova-use-without-role = Use an account or token without the role { $role }.
nova-refuses-own-project = the rule refuses tokens scoped to the server's own project
nova-needs-is-admin = the rule needs is_admin:True, which Nova sets only when the token passes context_is_admin (by default: the admin role)
nova-admin-only = Only an administrator can do this.
nova-needs-field = the rule needs { $need }; { $yours }
nova-yours-roles = you have { $have }
nova-yours-unset = yours is not set
nova-yours-is = yours is { $value }
nova-refuses-field = the rule refuses a { $field } of { $expected }, which is yours
nova-check-fails = `{ $check }` does not hold
nova-credentials-fail = your credentials do not satisfy the rule
nova-denied-opaque = Denied: your token ({ $scope }, with { $have }) does not satisfy the rule `{ $expression }` for a server in project { $project }; the rule has too many alternatives to break down.
nova-unsatisfiable = Denied: the rule can never be satisfied; only the cloud operator can change the policy.
nova-also-accepts = The rule would also accept: { $alternatives }{ $more }.
nova-more = {" "}and { $count } more
nova-scope-refusal = Denied: Nova accepts only project-scoped tokens for this API (scope_types = ['project'], enforced by default since the 2023.1 release), and your token is { $scope }. Get a token scoped to the server's project { $project }.
nova-scope-system = system-scoped (system_scope: { $system })
nova-scope-domain = domain-scoped (domain { $domain })
nova-lookup-refusal = Denied: your token is scoped to project { $token } but the server is in project { $project }, and Nova only finds the servers of the token's own project unless the token passes context_is_admin (by default: the admin role); it answers 404 (not found) before it looks at the password rule. Use a token scoped to project { $project } (for example `openstack --os-project-id { $project } …`).
nova-note-bare-bang = Note: the policy file writes this rule as an unquoted !, which YAML reads as an empty value, so everyone is allowed; the operator should write "!" in quotes to deny everyone.
nova-note-file = This rule comes from the cloud's policy file, not from Nova's defaults.
nova-note-deprecated = This rule comes from the policy file's override of the deprecated name `{ $old }`, which oslo.policy applies because the file does not set `{ $rule }` itself.
nova-note-old-defaults = With enforce_new_defaults = False, oslo.policy also accepts the deprecated default.
nova-no-rule = Nova has no password rule for the "{ $operation }" operation: only get (GET) and clear (DELETE) on /servers/<server_id>/os-server-password are checked.
# What is wrong with a policy file (src/permission/nova/file.rs): the rule or the file, the line;
# $detail of nova-policy-line is a nova-parse-* message (below).
nova-policy-rule = policy rule "{ $rule }": { $detail }
nova-policy-file = policy file: { $detail }
nova-policy-line = line { $line }: { $detail }
nova-policy-too-deep = the rule nests `rule:` references, `not` and parentheses more than { $max } levels deep
nova-policy-cycle = the rules refer to each other in a cycle ({ $cycle }), so they can never be decided
nova-policy-remote = `{ $check }` asks a remote server for the decision; this tool cannot evaluate http: or https: checks
# The parsers' own diagnostics (src/permission/nova/yaml.rs, rule.rs), the $detail of
# nova-policy-line. $column is a 1-based column in the rule's text; $text the part at fault, as
# written; $token a nova-parse-token-* message; $type a nova-parse-type-* message.
nova-parse-in-text = { $detail } (in `{ $text }`)
nova-parse-list-element = element { $outer }.{ $inner } of the list: { $detail }
nova-parse-blank = the rule is blank (only whitespace), which oslo.policy cannot parse and treats as "deny everyone"; write "" to allow everyone or "!" to deny everyone
nova-parse-unexpected = unexpected { $token } at column { $column }
nova-parse-expected-check = unexpected { $token } at column { $column } where a check was expected
nova-parse-unclosed = unexpected { $token } at column { $column }; the `(` at column { $open } is not closed
nova-parse-never-closed = the `(` at column { $column } is never closed
nova-parse-ends-early = the rule ends at column { $column } where a check was expected
nova-parse-too-deep = the rule nests `(` and `not` more than { $max } levels deep (column { $column })
nova-parse-quoted = quoted text { $text } at column { $column } is not a check (oslo.policy cannot parse it)
nova-parse-not-a-check = `{ $text }` at column { $column } is not a check: write kind:match (for example role:member or rule:admin_api), @ or !
nova-parse-empty-kind = `{ $text }` at column { $column } has nothing before the `:`
nova-parse-bad-literal = the quoted text `{ $text }` at column { $column } is not a simple string literal
nova-parse-leading-zero = the number `{ $text }` at column { $column } has a leading zero, which Python rejects
nova-parse-bad-kind = `{ $text }` at column { $column } is neither a credential field name (such as project_id) nor a simple literal ('text', a whole number, True, False or None); oslo.policy reads it as a Python expression
nova-parse-field-path = `{ $text }` at column { $column } looks inside the credential field { $field }, which is not a mapping (oslo.policy fails with a TypeError)
nova-parse-bad-percent = the `%` at column { $column } must be written %(key)s (or %% for a literal %)
nova-parse-token-symbol = `{ $symbol }`
nova-parse-token-quoted = quoted text { $text }
nova-parse-token-check = check `{ $check }` (join checks with `and` or `or`)
# $reason is the YAML parser's own (English) diagnostic.
nova-parse-yaml-invalid = not valid YAML (or JSON): { $reason }
nova-parse-yaml-truncated = the file ends unexpectedly
nova-parse-yaml-too-many = the file holds more than { $max } values (aliases included)
nova-parse-yaml-unknown-anchor = an alias refers to an unknown anchor
nova-parse-yaml-too-nested = lists nest deeper than oslo.policy's list of lists
nova-parse-yaml-structure = unexpected YAML structure
nova-parse-yaml-second-document = a second YAML document; a policy file is one document (oslo.policy's yaml.safe_load refuses more)
nova-parse-yaml-not-mapping = the file must be a mapping of rule names to rules, such as `"os_compute_api:os-server-password:show": "role:admin"`
nova-parse-yaml-list-file = the file must be a mapping of rule names to rules, not a list
nova-parse-yaml-merge-key = YAML merge keys (`<<`) are not supported in a policy file; write the rules out
nova-parse-yaml-null-name = a rule name is empty (null); quote it
nova-parse-yaml-name-type = YAML reads the rule name as { $type }, not a string; quote the rule name
nova-parse-yaml-name-not-string = a rule name must be a string, not a list or mapping
nova-parse-yaml-duplicate = the rule is defined twice (first on line { $first }); oslo.policy would silently keep the last one
nova-parse-yaml-tag = `{ $tag }` is a YAML tag that oslo.policy's safe loader does not accept as a rule; quote the rule (for example "!" to deny everyone)
nova-parse-yaml-value-type = YAML reads the value as { $type }, not a rule; write the rule as a quoted string (for example "role:member") or a list of them
nova-parse-yaml-element-not-string = element { $outer }.{ $inner } of the list is not a string
nova-parse-yaml-element-type = element { $index } of the list is neither a string nor a list
nova-parse-type-scalar = { $type } (`{ $value }`)
nova-parse-type-boolean = a boolean
nova-parse-type-integer = an integer
nova-parse-type-number = a number
nova-parse-type-date = a date
nova-parse-type-merge-key = a merge key
nova-parse-type-value-key = a value key
nova-parse-type-mapping = a mapping
