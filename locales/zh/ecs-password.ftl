# ecs-password 的中文消息（Project Fluent，https://projectfluent.org/fluent/guide/）。
# 与 locales/en/ecs-password.ftl 的消息 ID 和占位符一一对应（tests/catalogue.rs 检查）。

## 每个错误码的通用文本：`error-` 加小写、以连字符分隔的错误码。
error-key-malformed = 密钥文件已损坏或不完整。请选择完整的文件。
error-key-format-unsupported = 这不是本工具可读取的私钥（公钥、证书、PuTTY v1 等）。请选择私钥文件。
error-key-not-rsa = 这不是 RSA 密钥（Ed25519、ECDSA 或 DSA）：Windows 密码只会用 RSA 密钥对加密。
error-passphrase-required = 此密钥受口令保护：请输入口令。
error-wrong-passphrase = 口令无法解锁此密钥。请检查后重试。
error-ciphertext-malformed = 加密的密码不是有效的 RSA 数据块 base64 编码。
error-wrong-key = 此密码是用另一个密钥对加密的：请选择云服务器密钥对的私钥。
error-password-not-available = 云服务器尚未上报密码（或已被清除）。
error-plaintext-invalid = 已解密，但结果不是文本。
error-policy-invalid = 您的授权中有无效的 IAM 策略。
error-grants-invalid = 提供给本页面的授权无效。
error-not-in-table = 此请求不是密码相关的 API。
error-endpoint-invalid = 终端节点无效：请使用 https（仅本机可用 http），且不含用户、查询参数或片段。
error-id-invalid = 项目 ID 或云服务器 ID 无效。
error-operation-unsupported = 此 API 类型不提供该操作。
error-auth-failed = 云端不接受您的凭证（缺失、错误或已过期）。请重新登录。
error-forbidden = 云端拒绝：您没有对此云服务器执行该操作的权限。
error-server-not-found = 此项目中没有该云服务器。
error-key-pair-not-found = 未找到云服务器的密钥对。
error-project-mismatch = 项目 ID 与您的凭证不符。
error-password-rejected = 云端拒绝了新密码：请检查密码规则。
error-reset-failed = 云端未能重置密码。
error-rate-limited = 请求过于频繁，请稍后重试。
error-cloud-unavailable = 云服务暂时不可用，请稍后重试。
error-cloud-error = 云端返回了错误。
error-response-invalid = 无法解析云端的应答。
error-network-error = 无法连接云端（网络、CORS 或页面安全策略）。请使用同源代理路径。
error-timeout = 云端未及时应答。
error-cancelled = 已取消。
error-mfa-required = 登录需要 MFA 设备上的验证码。
error-endpoint-not-found = 找不到此服务和区域的接口地址。
error-project-not-found = 找不到此名称的项目。
error-key-not-hosted = 云上未托管此密钥对的私钥：请使用您的私钥文件。
error-kdbx-failed = 无法生成 KeePass 文件（主密码是否为空？）。
error-kps-refused = 密钥对管理服务拒绝导出私钥。
error-browser-unsupported = 此浏览器无法运行解密模块：需要支持 SIMD 的 WebAssembly（Chrome 或 Edge 91、Firefox 89、Safari 16.4 及以上版本）。请更新浏览器后重新加载页面。
error-no-credentials = 请先登录：小部件没有凭证。
error-worker-failed = 解密工作线程启动失败。
error-clipboard-failed = 浏览器不允许复制。请手动选中密码并复制。
error-unknown = 出现错误。

## 密钥（src/key/、src/decrypt.rs）。
key-malformed = 密钥文件看起来是 { $format }，但内容已损坏（{ $detail }）。请重新打开原始文件，或复制包括 BEGIN 和 END 行在内的完整密钥。
key-not-a-key = 这不是本工具可读取的私钥文件。请选择云服务器密钥对的私钥：.pem 文件（BEGIN RSA PRIVATE KEY、BEGIN PRIVATE KEY 或 BEGIN ENCRYPTED PRIVATE KEY）、OpenSSH 密钥（BEGIN OPENSSH PRIVATE KEY，例如 ~/.ssh/id_rsa）或 PuTTY .ppk 文件。
key-not-rsa = 这是 { $key_type } 密钥，不是 RSA 密钥。Windows 密码是用创建云服务器时所选的 RSA 密钥对加密的：请选择该密钥对的私钥。（用 { $key_type } 密钥对创建的云服务器永远不会收到加密的密码。）
key-not-rsa-other = 这不是 RSA 密钥。Windows 密码是用创建云服务器时所选的 RSA 密钥对加密的：请选择该密钥对的私钥。
key-encryption-unsupported = 此 { $format } 密钥文件完好，但它使用 { $scheme } 加密，本工具无法读取。请改用 AES 重新加密（密钥本身不变）：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW{ $legacy ->
        [yes] （OpenSSL 3 需添加 -provider legacy -provider default 才能读取这种旧算法）。
       *[no] 。
    }
key-passphrase-required = 此 { $format } 密钥文件受口令保护。请输入口令以解锁。
key-wrong-passphrase = 口令无法解锁此 { $format } 密钥文件。请检查后重试（口令区分大小写）。
key-wrong-size = 密钥不对：密码是用 { $ciphertext_bits } 位 RSA 密钥加密的，而此密钥是 { $key_bits } 位。请选择创建云服务器时所用密钥对的私钥。
key-wrong = 密钥不对：密码是用另一个密钥对加密的。请选择创建云服务器时所用密钥对的私钥（请核对指纹）。
ciphertext-malformed = 加密的密码无效：{ $detail }。请复制 os-server-password 接口返回的“password”字段的完整值。
password-not-available = 云服务器尚未上报密码，或密码已被清除。新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报：请稍后再试。
plaintext-invalid = 密码已解密，但结果不是文本。密文可能不是由云服务器的密码代理生成的，或是用另一个密钥加密的：请检查密钥对。
plaintext-empty = 密文可以用此密钥解密，但结果为空，不是密码。请重新从 os-server-password 接口获取密码。
detail-raw = { $text }
key-detail-openssh-structure = OpenSSH 密钥结构无法解析
key-detail-ppk-header = 第一行不是 PuTTY 密钥头
key-detail-ppk-mac = 完整性校验（MAC）失败：文件已被修改
key-detail-ppk-structure = PuTTY 密钥结构无法解析
key-detail-not-rsa-pair = 密钥数据不是 RSA 密钥对
key-detail-rsa-inconsistent = RSA 密钥的数值互相矛盾
key-detail-rsa-structure = RSA 密钥结构无法解析
key-detail-pkcs8-structure = PKCS#8 结构无法解析
key-detail-rsa-inside = 其中的 RSA 密钥无法解析
key-detail-encrypted-pkcs8-structure = 加密的 PKCS#8 结构无法解析
key-detail-dek-info-missing = 缺少 DEK-Info 头
key-detail-dek-info-no-iv = DEK-Info 头中没有 IV
key-detail-dek-info-iv = DEK-Info 的 IV 不是长度正确的十六进制
key-detail-pbes2-parameters = PBES2 参数无法解析
key-detail-pkcs12-parameters = PKCS#12 加密参数无法解析
key-detail-public-line = 它不是形如“ssh-rsa AAAA... 注释”的一行
key-detail-public-numbers = 其 RSA 数值不可用
key-detail-pem-base64 = BEGIN 与 END 之间的 PEM 文本不是有效的 base64
key-detail-pem-end = END 行缺失或与 BEGIN 行不匹配
key-detail-public-encoding = 其公钥无法编码
key-detail-not-a-number = { $name } 不是数字
key-unsupported-bcrypt-rounds = 受 { $rounds } 轮 bcrypt-pbkdf 保护的 OpenSSH 密钥无法在此使用。最多支持 1000 轮。可用以下命令修改：ssh-keygen -p -a 100 -f KEYFILE
key-unsupported-openssh-cipher = 用 { $cipher } 加密的 OpenSSH 密钥无法在此使用。支持：aes256-ctr（ssh-keygen 的默认值）、aes128/192-ctr、AES-CBC、aes256-gcm 和 chacha20-poly1305。可用以下命令修改：ssh-keygen -p -Z aes256-ctr -f KEYFILE
key-unsupported-ppk1 = PuTTY 第 1 版密钥文件（PuTTY 0.52 之前）无法在此使用。请用新版 PuTTYgen 打开并重新保存，或导出：Conversions > Export OpenSSH key。
key-unsupported-argon2-memory = Argon2 需要 { $mib } MiB 内存的 PuTTY 密钥无法在此使用。最多支持 256 MiB。请在 PuTTYgen 中以默认参数重新保存。
key-unsupported-argon2-work = Argon2 需对 { $mib } MiB 执行 { $passes } 遍（工作量最多 4 GiB）的 PuTTY 密钥无法在此使用。请在 PuTTYgen 中以默认参数重新保存（Key > Parameters for saving key files）。
key-unsupported-pkcs12 = PKCS#12（.pfx / .p12）文件无法在此使用。请先从中导出私钥：openssl pkcs12 -in FILE.pfx -nocerts -nodes -out key.pem
key-unsupported-scrypt-memory = 受需要 { $mib } MiB 内存的 scrypt 保护的密钥无法在此使用。最多支持 256 MiB。请以默认参数重新导出：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-scrypt-work = 受 N={ $n }、r={ $r }、p={ $p } 的 scrypt 保护的密钥（工作量最多 1 GiB）无法在此使用。其并行参数 p 使解锁耗时过长。请以默认参数重新导出：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-pbkdf2-iterations = 受 { $iterations } 次 PBKDF2 迭代保护的密钥无法在此使用。最多支持 10,000,000 次迭代。请重新导出：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-rsa-pss = RSA-PSS 密钥无法在此使用：它仅限于签名。请使用密钥对的普通 RSA 私钥（BEGIN RSA PRIVATE KEY）。
key-unsupported-certificate = 证书无法在此使用。证书只包含公钥：请改为选择私钥文件。
key-unsupported-pgp = PGP 密钥无法在此使用。Windows 密码是用 SSH 密钥对加密的：请选择该密钥对的私钥。
key-unsupported-pem-label = 标签为“{ $label }”的 PEM 块无法在此使用。请选择云服务器密钥对的私钥（BEGIN RSA PRIVATE KEY、BEGIN PRIVATE KEY、BEGIN ENCRYPTED PRIVATE KEY 或 BEGIN OPENSSH PRIVATE KEY）。
key-unsupported-public-key = 公钥无法在此使用。解密需要密钥对的私钥（创建密钥对时下载的文件，例如 KeyPair-xxxx.pem 或 ~/.ssh/id_rsa），而不是其公钥。
key-unsupported-legacy-cipher = 使用加密算法“{ $cipher }”的 OpenSSL 加密 PEM 无法在此使用。支持：AES-128/192/256-CBC、DES-EDE3-CBC 和 DES-CBC。请重新导出密钥：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
key-unsupported-pkcs12-iterations = 受 { $iterations } 次 PKCS#12 密钥派生迭代保护的密钥无法在此使用。支持 1 到 10,000,000 次迭代。请重新加密：openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW
password-too-long-for-key = 密码对于 { $bits } 位密钥过长。
ciphertext-detail-size = 它解码后为 { $bytes } 字节，不是任何 RSA 块的大小（这个 { $bits } 位密钥需要 { $expected } 字节）；可能被截断了
ciphertext-detail-character = 它包含 { $character }，这不是 base64 字符
ciphertext-detail-incomplete = 它不是完整的 base64（长度或填充不正确）

## 云平台的响应（src/api/response.rs、client.rs、request.rs）。
cloud-answer = { $reason }（HTTP { $status }）
cloud-answer-coded = { $reason }（HTTP { $status }，{ $cloud_code }）
response-invalid = 无法理解云平台的响应：{ $detail }。如果中间有代理或网关，请确认它正确转发了接口。
cloud-server-not-found = 在此项目中找不到该云服务器。请检查云服务器 ID，并确认项目（及区域）正是云服务器所在的项目。
cloud-key-pair-gone = 此项目中已不存在该云服务器的密钥对。您仍可使用保存的私钥解密，只是无法预先核对指纹。
cloud-not-found = 找不到该云服务器或接口。请检查云服务器 ID、项目和接口地址（区域）。
cloud-pdp-denied = 您的 IAM 策略不允许此操作（Pdp.0001）。请联系管理员在此项目中授予权限检查所指出的授权项。
cloud-account-restricted = 账号受限（例如欠费或被冻结），操作被拒绝。请处理账号状态或联系云平台客服。
cloud-forbidden = 云平台拒绝了您的凭证执行此操作（403）。请检查您在此项目和云服务器上的权限。
cloud-project-mismatch = 令牌所属的项目与请求中的项目不一致。请获取限定在云服务器所在项目（及区域）的令牌。
cloud-auth-failed = 云平台不接受该凭证：令牌无效或已过期，或 AK/SK 签名错误（本机时钟偏差超过 15 分钟也会导致失败）。请重新登录。
cloud-password-rejected = 云平台拒绝了新密码：不符合复杂度要求。请使用生成器或按所列规则设置。
cloud-reset-plugin = 云服务器的一键重置密码插件未安装或不可用，无法通过接口重置密码。请在云服务器中安装插件，或登录云服务器内部修改密码。
cloud-server-locked = 云服务器已被锁定，当前无法重置密码。请解锁（或等待锁定它的操作完成）后重试。
cloud-reset-failed = 云平台重置密码失败。请确认云服务器处于运行或关机状态（而非中间状态）后重试。
cloud-rate-limited = 云平台正在限流（429）。请稍等一分钟后重试。
cloud-unavailable = 云平台暂时无法响应（服务端错误）。请几分钟后重试；如果持续出现，请向云平台客服提供请求 ID。
cloud-refused = 云平台拒绝了该请求。下方显示了云平台自己的错误信息和错误码；如有需要，请向云平台客服提供请求 ID。
answer-too-large = 响应大于 4 MiB
answer-not-json = 它不是 JSON
answer-not-utf8 = 它不是 UTF-8 文本
answer-not-documented = 它不是接口文档所述的 JSON
answer-not-zip = 它不是 ZIP 压缩包
answer-no-private-key = 其中没有私钥
answer-server-no-id = 云服务器没有 ID
answer-key-pair-incomplete = 密钥对缺少名称或公钥
answer-header-missing = 缺少 { $header } 头
answer-field-missing = 缺少“{ $field }”
answer-field-type = “{ $field }”不是{ $kind ->
        [string] 字符串
        [boolean] 布尔值
       *[time] ISO 8601 时间
    }
answer-other-key-pair = 它是关于密钥对“{ $got }”的，而不是“{ $expected }”

## 密钥对管理服务（src/api/kps.rs）。
kps-export-invalid = 无法理解 KPS 导出私钥的响应：{ $detail }。如果中间有代理或网关，请确认它正确转发了接口。
kps-batch-size = 批量导出需指定 1 到 { $max } 个互不相同的密钥对（当前为 { $count } 个）。请拆分列表。
kps-not-hosted = 密钥对“{ $name }”的私钥未托管在云上（KPS 返回 is_key_protection: false），无法导出。请使用创建密钥对时下载的私钥文件。
kps-auth-failed = KPS 不接受该凭证：令牌无效或已过期，或 AK/SK 签名错误（本机时钟偏差超过 15 分钟也会导致失败）。请重新登录。
kps-forbidden = KPS 拒绝了请求（403）：{ $operation }需要在此项目中允许 { $actions }。请联系管理员授予包含 { $actions } 的策略。
kps-forbidden-named = { $reason }云平台指出缺少 { $action }。
kps-key-pair-not-found = KPS 在此项目中没有密钥对“{ $names }”。请检查密钥对名称，并确认 KPS 接口地址属于云服务器所在区域。
kps-rate-limited = KPS 正在限流（429）。请稍等一分钟后重试。
kps-unavailable = KPS 暂时无法响应（服务端错误）。请几分钟后重试；如果持续出现，请向云平台客服提供请求 ID。
kps-refused = KPS 拒绝了关于密钥对“{ $names }”的请求（私钥可能未托管，或密钥对已被冻结）。下方显示了云平台自己的错误信息和错误码；如有需要，请向云平台客服提供请求 ID。
kps-operation = { $operation ->
        [details] 查询SSH密钥对详细信息（私钥是否托管）
        [export] 导出密钥对的托管私钥
       *[batch-export] 批量导出密钥对的托管私钥（最多 10 个）
    }
transport-timeout = { $host } 未在规定时间内响应。请检查接口地址和网络连接后重试。
transport-network = 无法连接 { $host }（{ $detail }）。请检查接口地址（区域）、网络和代理；在浏览器中，云平台可能不允许从此页面直接调用（CORS）：请使用同源代理。
wait-cancelled = 已停止等待密码。
endpoint-invalid = 接口地址不可用：{ $detail }。请填写 https 地址，例如 https://ecs.cn-north-4.myhuaweicloud.com。
endpoint-detail-non-ascii = 其中包含非 ASCII 字符 { $character }（国际化域名请写成 xn-- 形式）
endpoint-detail-not-url = 它不是 URL
endpoint-detail-no-host = 它没有主机名
endpoint-detail-http = 明文 http 会暴露令牌；只有本机回环地址可以使用 http
endpoint-detail-scheme = 协议“{ $scheme }”不是 https
endpoint-detail-credentials = 其中包含用户名或密码
endpoint-detail-query = 其中包含查询参数或片段
reset-needs-password = 重置密码需要提供新密码。

## 密码为何未上报（src/api/diagnosis.rs）。
duration = { $unit ->
        [less] 不到 1 分钟
        [minute] { $n } 分钟
        [hour] { $n } 小时
       *[day] { $n } 天
    }
-reset-instead = 请改为重置密码（一键重置密码需要云服务器中安装重置密码插件；未安装时请登录云服务器内部修改）。
diagnosis-linux = 这是一台 Linux 云服务器：Linux 云服务器从不上报密码。请使用密钥对的私钥通过 SSH 登录。
diagnosis-no-key-pair = 该云服务器创建时未使用密钥对（使用的是密码），因此没有可获取的加密密码。请使用创建时设置的密码，或重置密码。
diagnosis-key-pair-not-rsa = 该云服务器的密钥对是 { $key_type }，不是 RSA：云服务器内的密码代理（Cloudbase-Init）只能用 RSA 密钥对加密，因此它永远不会上报密码。{ -reset-instead }
diagnosis-cleared = 密码已被清除：云服务器不会自行再次上报。{ -reset-instead }
diagnosis-not-running = 该云服务器处于 { $status } 状态：未运行的云服务器不会上报任何内容。请启动它：新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报密码。
diagnosis-building = 该云服务器仍在创建中。新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报密码：请约 10 分钟后再试。
diagnosis-booting = 该云服务器已启动 { $running }，新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报密码：请在约 { $wait }后再试（如果密码已被清除，则不会再出现：请重置密码）。
diagnosis-age-unknown = 云服务器尚未上报密码，或密码已被清除；云平台未提供其启动时间。新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报：请稍后再试。
diagnosis-no-agent = 该云服务器已运行 { $running }，超过了带密码代理（Cloudbase-Init）的 Windows 镜像上报密码所需的 5 到 10 分钟：其镜像可能没有该代理，或密码已被清除。等待不会有帮助。{ -reset-instead }
answer-unexpected = 云平台返回的响应类型与请求不符。

## ID 与操作（src/route.rs）。
id-invalid = { $kind ->
        [project-id] 项目 ID
        [server-id] 云服务器 ID
        [key-pair-name] 密钥对名称
        [marker] 分页标记
        [region] 区域
       *[other] ID
    }“{ $value }”无效：ID 只能包含字母、数字、'-'、'_' 和 '.'。
operation-unsupported = { $family } 接口没有“{ $operation }”操作。重置密码仅在 v1 和 v2.1 提供；是否支持重置仅在 v1 提供。

## 登录（src/signin/）。
catalog-no-endpoint = 服务目录中没有 { $wanted } 接口地址（已有：{ $offered }）。请选择其他区域或接口类型，或直接提供接口地址。
region-unknown = 区域表中没有 { $cloud } 的区域“{ $region }”（已知：{ $known }）。请检查区域，或直接提供接口地址。
signin-no-project = 用户已登录，但没有可用的项目：请联系云管理员为其分配项目中的角色。
signin-mfa-no-user = 身份认证服务要求 MFA 验证码，但此次登录没有指定用户：请使用用户名和密码登录。
signin-project-not-listed = 项目 { $id } 不在该用户的项目中（{ $listed }）：请从中选择一个。
signin-methods-unsupported = 身份认证服务要求 ecs-password 不支持的登录方式（{ $listed }）：请使用密码加 TOTP 验证码、应用凭证或令牌登录。
signin-out-of-order = 登录步骤顺序有误（在错误的步骤收到了应答或选择）：请重新开始登录。
signin-nothing = 没有可用于登录的凭证：请提供密码、应用凭证或令牌。
signin-project-name-unknown = 此用户无法访问名为“{ $name }”的项目。该用户的项目：{ $shown }。请填写其中一个名称，或项目 ID。
signin-project-name-ambiguous = 有多个项目名为“{ $name }”（ID：{ $ids }）。请指定项目所在的域，或项目 ID。
signin-region-projects = 该账号下名为“{ $region }”的项目有 { $count } 个，而不是 1 个，无法由区域得出项目 ID。请提供项目 ID（HUAWEICLOUD_SDK_PROJECT_ID 或 --project）。
identity-auth-failed = 身份认证服务不接受此次登录：请检查用户名、密码（或密钥）、域（账号）名，以及启用 MFA 时的验证码。令牌也可能已过期。
identity-forbidden = 身份认证服务拒绝了该用户的此次登录（403）：该用户可能没有编程访问权限、是联邦（SSO）用户（不能用密码登录），或不能使用此项目。
identity-not-found = 身份认证服务找不到该项目、域或用户（404）。请检查名称和认证地址。
identity-rate-limited = 身份认证服务正在限流（429）。请稍等一分钟后重试。
identity-unavailable = 身份认证服务暂时无法响应（服务端错误）。请几分钟后重试。
identity-refused = 身份认证服务拒绝了该请求。下方显示了它自己的错误信息和错误码。
ciphertext-detail-json = 它看起来像 JSON，但不是接口的 {"{"}"password": "..."{"}"} 对象

## 权限（src/permission/）。
policy-invalid = 策略无效：{ $detail }。
grants-invalid = 授权无效：{ $detail }。应为 {"{"}"grants": [{"{"}"policy": "ECS ReadOnlyAccess" 或 {"{"}策略 JSON{"}"}, "scope": {"{"}"project": "<id>"{"}"} 或 {"{"}"enterpriseProject": "<id>"{"}"}{"}"}]{"}"}。
not-in-table = “{ $request }”不是权限表中的密码接口。请给出方法和填好 ID 的路径，例如 GET /v1/<project_id>/cloudservers/<server_id>/os-server-password。
detail-not-json = 它不是有效的 JSON（{ $detail }）
grants-detail-top-level = 顶层必须是包含 "grants" 数组的对象
grants-detail-at = 第 { $n } 条授权：{ $detail }
grants-detail-unknown-policy = “{ $name }”不是本工具已知的系统策略（{ $known }）
grants-detail-policy = "policy" 必须是系统策略名称或策略对象
grants-detail-scope = "scope" 必须是 {"{"}"project": "<id>"{"}"} 或 {"{"}"enterpriseProject": "<id>"{"}"}
call-cancelled = 调用已取消。

## IAM 权限判定的理由（src/permission/evaluate.rs）。$policy 是策略名称，$statement 是语句序号（从 1
## 起），$action 是授权项，$api 是请求（"METHOD /path/template"），$scope_kind 为 project 或
## enterprise-project，$scope 为其 ID。iam-note-* 是分句：拒绝时逐条列出。
iam-allow = 允许：在{ $scope_kind ->
        [enterprise-project] 企业项目 { $scope }
       *[project] 项目 { $scope }
    }中授予的“{ $policy }”（第 { $statement } 条语句）允许 { $action }，这正是 { $api } 所需的授权项。
iam-allow-alias = 允许：在{ $scope_kind ->
        [enterprise-project] 企业项目 { $scope }
       *[project] 项目 { $scope }
    }中授予的“{ $policy }”（第 { $statement } 条语句）允许 { $action }（{ $documented } 的新名称），这正是 { $api } 所需的授权项。
iam-explicit-deny = 拒绝：在{ $scope_kind ->
        [enterprise-project] 企业项目 { $scope }
       *[project] 项目 { $scope }
    }中授予的“{ $policy }”（第 { $statement } 条语句）显式拒绝了 { $action }。显式拒绝优先于任何允许：请联系管理员删除或收窄该语句。
iam-implicit-deny-no-policies = 拒绝：没有任何策略为 { $api } 授予 { $action }。您没有任何策略。请联系管理员在此项目中授予包含 { $action } 的策略（例如 { $example }）。
iam-implicit-deny-not-included = 拒绝：没有任何策略为 { $api } 授予 { $action }。您的策略（{ $policies }）均不包含 { $action }。请联系管理员在此项目中授予包含 { $action } 的策略（例如 { $example }）。
iam-implicit-deny-not-applicable = 拒绝：没有任何策略为 { $api } 授予 { $action }：{ $notes }。请联系管理员在此项目中授予包含 { $action } 的策略（例如 { $example }）。
iam-policy-name = “{ $name }”
iam-example-custom-policy = Action 中列出 { $actions } 的自定义策略
iam-note-other-project = “{ $policy }”授予在项目 { $granted }，而不是请求所在的项目 { $project }
iam-note-ep-unsupported = “{ $policy }”通过企业项目 { $enterprise_project } 授予，而 { $api } 不支持企业项目授权
iam-note-ep-unsupported-use-v1 = “{ $policy }”通过企业项目 { $enterprise_project } 授予，而 { $api } 不支持企业项目授权（请使用 v1 接口）
iam-note-ep-unknown = “{ $policy }”通过企业项目 { $enterprise_project } 授予，但云服务器所属的企业项目未知
iam-note-ep-other = “{ $policy }”通过企业项目 { $enterprise_project } 授予，而云服务器属于企业项目 { $server_enterprise_project }
iam-note-dependency = 角色“{ $policy }”依赖“{ $dependency }”，而“{ $dependency }”未在{ $scope_kind ->
        [enterprise-project] 企业项目 { $scope }
       *[project] 项目 { $scope }
    }中授予：在同时授予之前，该角色不生效
iam-note-other-resources = “{ $policy }”第 { $statement } 条语句匹配 { $action }，但仅限于 { $resource } 以外的资源
iam-note-resource-level = “{ $policy }”第 { $statement } 条语句匹配 { $action }，但指定了资源，而 { $api } 不支持资源级授权
iam-note-condition = “{ $policy }”第 { $statement } 条语句匹配 { $action }，但其条件 { $operator } { $key } [{ $values }] 对此请求不成立
# 一个密码操作在各接口族中的判定：$allowed、$denied 列出接口族（v1、v2.1、v2）。
iam-operation-allowed = { $operation }：可通过 { $allowed } 执行；建议使用 { $recommended }。
iam-operation-allowed-partly = { $operation }：可通过 { $allowed } 执行，{ $denied } 被拒绝；建议使用 { $recommended }。
iam-operation-denied = { $operation }：所有接口（{ $denied }）均被拒绝。
# 两条说明相连（KPS 请求的授权项及其依赖均被拒绝时）。
iam-sentences = { $first }{ $second }

## KPS 权限判定的理由（src/permission/evaluate.rs 的 check_kps）。$what 是 kps-what-* 消息；$needs
## 是授权项或 kps-needs-with-dependencies。
kps-what-details = 读取密钥对“{ $key_pair }”的详细信息
kps-what-export = 导出密钥对“{ $key_pair }”的托管私钥
kps-what-batch-export = 批量导出托管私钥（“{ $key_pair }”）
kps-needs-with-dependencies = { $action } 及其依赖的授权项 { $dependencies }
kps-allowed-by = “{ $policy }”（第 { $statement } 条语句）允许 { $action }
kps-allow = 允许：{ $what }需要 { $needs }；您的策略均已允许：{ $allowed_by }。
kps-deny = 拒绝：{ $what }需要 { $needs }，而 { $missing } 未被允许{ $count ->
       *[other] 。
    }{ $why }

## 权限表中各接口的说明（src/permission/table.rs），沿用 ECS 与 DEW API 参考的措辞。
table-reset-password-enterprise = 一键重置弹性云服务器密码（企业项目）
table-reset-flag = 查询云服务器是否支持重置密码
table-get-password = Windows云服务器获取密码
table-clear-password = Windows云服务器清除密码
table-reset-password = 一键重置弹性云服务器云主机密码
table-get-password-openstack = Windows云服务器获取密码（OpenStack原生）
table-clear-password-openstack = Windows云服务器清除密码（OpenStack原生）
kps-table-details = 查询SSH密钥对详细信息（私钥是否托管）
kps-table-export = 导出密钥对的托管私钥
kps-table-batch-export = 批量导出密钥对的托管私钥（最多 10 个）

## 策略文档的错误（src/permission/policy.rs、condition.rs）：policy-invalid 的 $detail。
policy-detail-version = Version 必须为 "1.1"（细粒度策略）或 "1.0"（角色），实际为 "{ $found }"
policy-detail-version-missing = 缺少 Version：细粒度策略请使用 "1.1"
policy-detail-statement-empty = Statement 为空
policy-detail-statement-not-array = Statement 必须是语句数组
policy-detail-statement-missing = 缺少 Statement
policy-detail-statement-at = 第 { $statement } 条语句：{ $detail }
policy-detail-statement-not-object = 语句必须是对象
policy-detail-unknown-field = 未知字段 "{ $field }"（应为 Effect、Action、Resource、Condition）
policy-detail-effect = Effect 必须为 "Allow" 或 "Deny"，实际为 "{ $found }"
policy-detail-effect-missing = 缺少 Effect
policy-detail-action-missing = 缺少 Action
policy-detail-action = Action "{ $action }" 不符合 服务:资源类型:操作 的格式（例如 ecs:cloudServers:get）
policy-detail-resource = Resource "{ $resource }" 不符合 服务:区域:账号ID:资源类型:路径 的格式（例如 ecs:*:*:instance:*）
policy-detail-condition-not-object = Condition 必须是对象，例如 {"{"}"StringEquals": {"{"}"g:UserName": ["alice"]{"}"}{"}"}
policy-detail-condition = Condition：{ $detail }
policy-detail-operator-unknown = "{ $operator }" 不是条件运算符
policy-detail-operator-null = "{ $operator }"：Null 不能带 IfExists，也不能带 ForAllValues/ForAnyValue 限定符
policy-detail-condition-keys = Condition { $operator } 必须将条件键映射到值
policy-detail-condition-no-values = Condition { $operator } { $key } 没有值
policy-detail-condition-value = Condition { $operator } { $key }：{ $detail }
policy-detail-not-number = "{ $value }" 不是数字
policy-detail-not-time = "{ $value }" 不是 RFC 3339 时间（例如 2026-01-31T12:00:00Z）
policy-detail-not-bool = "{ $value }" 不是 true 或 false
policy-detail-strings = { $field } 必须是字符串或字符串数组

## 新密码规则（src/api/password_rules.rs）：违反的规则。
rules-too-short = 密码长度为 { $length } 个字符，至少需要 { $min } 个字符。
rules-too-long = 密码长度为 { $length } 个字符，最多允许 { $max } 个字符。
rules-invalid-character = 密码包含不允许的字符 { $char }。只能使用字母 A-Z、a-z，数字 0-9，以及特殊字符 { $specials }
rules-invalid-more = 密码还包含另外 { $count } 个不允许的字符。
rules-too-few-kinds = 密码只包含 { $used } 种字符（共 4 种），至少需要 { $required } 种。可以加入：{ $missing }。
rules-kinds-2 = { $first }、{ $second }
rules-kinds-3 = { $first }、{ $second }、{ $third }
rules-kinds-4 = { $first }、{ $second }、{ $third }、{ $fourth }
rules-kind-upper = 大写字母
rules-kind-lower = 小写字母
rules-kind-digit = 数字
rules-kind-special = 特殊字符（{ $specials }）
rules-forbidden-word = 密码不能包含“{ $word }”（不区分大小写）。
rules-forbidden-word-or-reverse = 密码不能包含“{ $word }”或其逆序“{ $reverse }”（不区分大小写）。
rules-user-name = 密码不能包含用户名“{ $name }”中超过两个连续字符的部分（不区分大小写）。
rules-leading-slash = Windows 云服务器的密码不能以“/”开头。

## KeePass 导出（export/）。$detail 是写入库自己的诊断信息。
kdbx-failed = 无法生成 KeePass 文件：{ $detail }。
kdbx-master-empty = 无法生成 KeePass 文件：主密码为空，而 KeePass 文件需要主密码。

## Nova 的策略（src/permission/nova/explain.rs、check.rs）：Nova 为何允许或拒绝令牌查看或清除
## 服务器的密码。$roles 是 nova-roles 消息或角色名列表；$project 是项目 ID 或 nova-project-unknown；
## $check 是原样的策略检查（role:member）；$have 是 nova-have 或 nova-have-none；$scope 是
## nova-token-* 或 nova-scope-* 消息；$hint、$where、$also、$origin、$more 是可选部分（消息或空）。
nova-sentences = { $first }{ $next }
nova-clauses = { $first }；{ $next }
nova-project-unknown = （未知）
nova-roles = { $count ->
   *[other] 角色 { $roles }
}
nova-role-implied = { $role }（由 { $from } 隐含）
nova-have = 拥有 { $roles }
nova-have-none = 没有任何角色
nova-token-scoped = 限定在项目 { $project }
nova-token-unscoped = 未限定在任何项目
nova-hint-member = （或隐含它的 member 角色）
nova-field-roles = 你的角色中包含 { $expected }（精确匹配，区分大小写）
nova-field-matches = 你的 { $field } 与服务器的 { $key }（{ $expected }）一致
nova-field-is = 你的 { $field } 为 { $expected }
nova-allowed = 允许：{ $reasons }。匹配的分支：`{ $matched }`。
nova-allowed-role-in-project = 你在服务器所属的项目中拥有{ $roles }
nova-allowed-role-anywhere = 你拥有{ $roles }，无论服务器属于哪个项目，此规则都接受该角色
nova-allowed-project = 你的令牌限定在服务器所属的项目中
nova-allowed-always = 该规则允许所有人（@）
nova-allowed-empty = 该规则为空，而 oslo.policy 将空规则视为“允许所有人”
nova-allowed-not-role = 你没有 { $role } 角色
nova-allowed-not-project = 你的令牌不在服务器所属的项目中
nova-allowed-field = 该规则要求{ $need }，你满足该条件
nova-check-holds = `{ $check }` 成立
nova-rule-holds = 规则成立
nova-allowed-opaque = 允许：你的凭据满足规则 `{ $expression }`。
nova-denied = 拒绝：{ $reasons }。
nova-denied-unfixable = 拒绝：{ $reason }。任何角色分配都无法改变这一点，只有云平台运营方可以修改策略。
nova-unfixable-never = 该规则拒绝所有人（`!`）
nova-unfixable-always = 该规则包含永远不成立的 `{ $check }`
nova-unfixable-undefined = 该规则依赖未定义的 rule:{ $rule }，oslo.policy 因此按拒绝处理
nova-unfixable-no-target = 检查 `{ $check }` 需要服务器的 { $key }，但 Nova 在此请求中不提供该值，因此总是失败
nova-target-value = 值
nova-unfixable-unknown-field = 检查 `{ $check }` 读取的凭据字段 `{ $field }` 在令牌中不存在，因此总是失败{ $hint }
nova-hint-case = （检查类型区分大小写：是否想写 `{ $kind }:…`？）
nova-unfixable-constant = 检查 `{ $check }` 对该服务器不成立，与请求者无关
nova-needs-roles-in-project = 该规则要求你在服务器所属的项目中拥有{ $roles }；你{ $have }
nova-ask-roles-in-project = 请联系管理员在项目 { $project } 中为你分配{ $roles }{ $hint }。
nova-needs-roles-in-other-project = 该规则要求你在服务器所属的项目（{ $project }）中拥有{ $roles }，但你的令牌{ $scope }{ $where }
nova-where-you-have = （你在那里{ $have }）
nova-ask-roles-then-scope = 请联系管理员在项目 { $project } 中为你分配{ $roles }{ $hint }，然后使用限定在该项目的令牌。
nova-needs-roles = 该规则要求{ $roles }；你{ $have }
nova-ask-roles = 请联系管理员为你分配{ $roles }{ $hint }。
nova-wrong-project = 令牌{ $scope }，但服务器属于项目 { $project }
nova-use-project-token = 请使用限定在项目 { $project } 的令牌（例如 `openstack --os-project-id { $project } …`）{ $also }。
nova-also-need = ；你在该项目中同样需要{ $roles }
nova-refuses-role = 该规则拒绝拥有 { $role } 角色的用户，而你拥有该角色{ $origin }
nova-implied-by = （由 { $from } 隐含）
nova-use-without-role = 请使用没有 { $role } 角色的账号或令牌。
nova-refuses-own-project = 该规则拒绝限定在服务器自身项目中的令牌
nova-needs-is-admin = 该规则要求 is_admin:True，而 Nova 只在令牌满足 context_is_admin（默认即 admin 角色）时才设置它
nova-admin-only = 只有管理员可以执行此操作。
nova-needs-field = 该规则要求{ $need }；{ $yours }
nova-yours-roles = 你{ $have }
nova-yours-unset = 你的未设置
nova-yours-is = 你的是 { $value }
nova-refuses-field = 该规则拒绝 { $field } 为 { $expected } 的请求，而你的正是如此
nova-check-fails = `{ $check }` 不成立
nova-credentials-fail = 你的凭据不满足该规则
nova-denied-opaque = 拒绝：你的令牌（{ $scope }，{ $have }）不满足针对项目 { $project } 中服务器的规则 `{ $expression }`；该规则的分支太多，无法逐一说明。
nova-unsatisfiable = 拒绝：该规则永远无法满足，只有云平台运营方可以修改策略。
nova-also-accepts = 该规则也接受：{ $alternatives }{ $more }。
nova-more = {" "}等另外 { $count } 种
nova-scope-refusal = 拒绝：Nova 的此接口只接受项目范围的令牌（scope_types = ['project']，自 2023.1 版本起默认强制检查），而你的令牌是{ $scope }。请获取限定在服务器所属项目 { $project } 的令牌。
nova-scope-system = 系统范围的（system_scope: { $system }）
nova-scope-domain = 域范围的（域 { $domain }）
nova-lookup-refusal = 拒绝：你的令牌限定在项目 { $token }，但服务器属于项目 { $project }；除非令牌满足 context_is_admin（默认即 admin 角色），Nova 只能找到令牌所属项目中的服务器，会在检查密码规则之前返回 404（未找到）。请使用限定在项目 { $project } 的令牌（例如 `openstack --os-project-id { $project } …`）。
nova-note-bare-bang = 注意：策略文件中该规则写成了不带引号的 !，YAML 会把它读成空值，因此所有人都被允许；运营方应写成带引号的 "!" 才能拒绝所有人。
nova-note-file = 此规则来自云平台的策略文件，而非 Nova 的默认规则。
nova-note-deprecated = 此规则来自策略文件对已弃用名称 `{ $old }` 的覆盖；由于文件没有设置 `{ $rule }`，oslo.policy 沿用了它。
nova-note-old-defaults = 由于 enforce_new_defaults = False，oslo.policy 同时接受已弃用的默认规则。
nova-no-rule = Nova 没有针对“{ $operation }”操作的密码规则：只检查 /servers/<server_id>/os-server-password 上的 get（GET）和 clear（DELETE）。
# 策略文件的错误（src/permission/nova/file.rs）：规则或文件、行号；nova-policy-line 的 $detail
# 是 nova-parse-* 消息（见下）。
nova-policy-rule = 策略规则“{ $rule }”：{ $detail }
nova-policy-file = 策略文件：{ $detail }
nova-policy-line = 第 { $line } 行：{ $detail }
nova-policy-too-deep = 该规则嵌套的 `rule:` 引用、`not` 和括号超过 { $max } 层
nova-policy-cycle = 这些规则相互引用形成循环（{ $cycle }），因此永远无法判定
nova-policy-remote = `{ $check }` 要求远程服务器作出判定；本工具无法评估 http: 或 https: 检查
# 解析器自己的诊断信息（src/permission/nova/yaml.rs、rule.rs），即 nova-policy-line 的 $detail。
# $column 是规则文本中从 1 开始的列号；$text 是出错的部分（原样）；$token 是 nova-parse-token-*
# 消息；$type 是 nova-parse-type-* 消息。
nova-parse-in-text = { $detail }（位于 `{ $text }`）
nova-parse-list-element = 列表的第 { $outer }.{ $inner } 个元素：{ $detail }
nova-parse-blank = 该规则是空白的（只有空白字符），oslo.policy 无法解析，会当作“拒绝所有人”；写 "" 允许所有人，或写 "!" 拒绝所有人
nova-parse-unexpected = 第 { $column } 列出现了意外的{ $token }
nova-parse-expected-check = 第 { $column } 列应为一个检查，却是{ $token }
nova-parse-unclosed = 第 { $column } 列出现了意外的{ $token }；第 { $open } 列的 `(` 没有闭合
nova-parse-never-closed = 第 { $column } 列的 `(` 始终没有闭合
nova-parse-ends-early = 规则在第 { $column } 列结束，但此处应为一个检查
nova-parse-too-deep = 该规则嵌套的 `(` 和 `not` 超过 { $max } 层（第 { $column } 列）
nova-parse-quoted = 第 { $column } 列的带引号文本 { $text } 不是检查（oslo.policy 无法解析）
nova-parse-not-a-check = 第 { $column } 列的 `{ $text }` 不是检查：请写成 类型:匹配值（例如 role:member 或 rule:admin_api）、@ 或 !
nova-parse-empty-kind = 第 { $column } 列的 `{ $text }` 在 `:` 之前没有内容
nova-parse-bad-literal = 第 { $column } 列的带引号文本 `{ $text }` 不是简单的字符串字面量
nova-parse-leading-zero = 第 { $column } 列的数字 `{ $text }` 有前导零，Python 不接受
nova-parse-bad-kind = 第 { $column } 列的 `{ $text }` 既不是凭据字段名（如 project_id），也不是简单字面量（'文本'、整数、True、False 或 None）；oslo.policy 会把它当作 Python 表达式读取
nova-parse-field-path = 第 { $column } 列的 `{ $text }` 试图读取凭据字段 { $field } 的内部，但该字段不是映射（oslo.policy 会因 TypeError 失败）
nova-parse-bad-percent = 第 { $column } 列的 `%` 必须写成 %(key)s（字面的 % 写成 %%）
nova-parse-token-symbol = `{ $symbol }`
nova-parse-token-quoted = 带引号文本 { $text }
nova-parse-token-check = 检查 `{ $check }`（检查之间请用 `and` 或 `or` 连接）
# $reason 是 YAML 解析器自己的（英文）诊断信息。
nova-parse-yaml-invalid = 不是有效的 YAML（或 JSON）：{ $reason }
nova-parse-yaml-truncated = 文件意外结束
nova-parse-yaml-too-many = 文件包含超过 { $max } 个值（含别名展开）
nova-parse-yaml-unknown-anchor = 别名引用了不存在的锚点
nova-parse-yaml-too-nested = 列表嵌套超过了 oslo.policy 的“列表的列表”
nova-parse-yaml-structure = 意外的 YAML 结构
nova-parse-yaml-second-document = 出现了第二个 YAML 文档；策略文件只能有一个文档（oslo.policy 的 yaml.safe_load 拒绝多个）
nova-parse-yaml-not-mapping = 文件必须是规则名到规则的映射，例如 `"os_compute_api:os-server-password:show": "role:admin"`
nova-parse-yaml-list-file = 文件必须是规则名到规则的映射，而不是列表
nova-parse-yaml-merge-key = 策略文件不支持 YAML 合并键（`<<`）；请把规则逐条写出
nova-parse-yaml-null-name = 规则名为空（null）；请给它加上引号
nova-parse-yaml-name-type = YAML 把规则名读成了{ $type }，而不是字符串；请给规则名加上引号
nova-parse-yaml-name-not-string = 规则名必须是字符串，不能是列表或映射
nova-parse-yaml-duplicate = 该规则被定义了两次（第一次在第 { $first } 行）；oslo.policy 会静默保留最后一个
nova-parse-yaml-tag = `{ $tag }` 是 oslo.policy 的安全加载器不接受作为规则的 YAML 标签；请给规则加上引号（例如写 "!" 拒绝所有人）
nova-parse-yaml-value-type = YAML 把该值读成了{ $type }，而不是规则；请把规则写成带引号的字符串（例如 "role:member"）或字符串列表
nova-parse-yaml-element-not-string = 列表的第 { $outer }.{ $inner } 个元素不是字符串
nova-parse-yaml-element-type = 列表的第 { $index } 个元素既不是字符串也不是列表
nova-parse-type-scalar = { $type }（`{ $value }`）
nova-parse-type-boolean = 布尔值
nova-parse-type-integer = 整数
nova-parse-type-number = 数字
nova-parse-type-date = 日期
nova-parse-type-merge-key = 合并键
nova-parse-type-value-key = 值键
nova-parse-type-mapping = 映射
