//! The rules that a new password must meet when a server's password is reset
//! (`PUT …/os-reset-password`) on Huawei Cloud or Open Telekom Cloud, a checker that lists every
//! broken rule (in English and in Chinese), and a generator of random passwords that pass it.
//!
//! # The rules
//!
//! | rule | v1 | v2.1 |
//! | --- | --- | --- |
//! | length | 8 to 26 characters | 8 to 26 characters |
//! | kinds | 3 of 4: uppercase, lowercase, digit, special | the same |
//! | special characters | [`V1_SPECIALS`] `!@%-_=+[]:./?` | [`V21_SPECIALS`] `!@$%^-_=+[{}]:,./?` |
//! | forbidden words (and their reverses, in any letter case) | `Administrator`, `root` and the user name | the user name |
//! | more than two consecutive characters of the user name | Windows (also of `Administrator`) | Windows |
//! | starts with `/` | Windows | Windows |
//!
//! Any character that is not an ASCII letter, an ASCII digit or one of the special characters is
//! invalid: non-ASCII letters, spaces and control characters included. Lengths count characters
//! (Unicode scalar values), not bytes.
//!
//! # Which special characters, and why
//!
//! | API | Windows | Linux |
//! | --- | --- | --- |
//! | v1 | `!@%-_=+[]:./?` | `!@%-_=+[]:./?` |
//! | v2.1 | `!@$%^-_=+[{}]:,./?` | `!@$%^-_=+[{}]:,./?` |
//!
//! Each API is checked against its own documented set, on both OSes:
//!
//! - **v1** (`PUT /v1/{project_id}/cloudservers/{server_id}/os-reset-password`): the API
//!   reference page ("Resetting the Password for Logging In to an ECS", 一键重置弹性云服务器密码)
//!   and the OpenAPI definition `ResetServerPassword.json` (crate
//!   `huawei-cloud-api-definitions-ECS` 0.1.20261024) allow exactly `!@%-_=+[]:./?`, and list
//!   `$`, `^`, `,`, `{`, `}` and the space among the characters that are *forbidden*. The console's
//!   form has its own per-OS sets (ECS user guide, 在控制台重置弹性云服务器密码, table 1):
//!   Windows `$!@%-_=+[]:./,?` and Linux `!@%-_=+[]:./^,{}?`. Each adds characters that the v1
//!   API forbids, so they are not used for the API check. Every v1 special character is in both
//!   console sets, so a password that passes the v1 check is also accepted by the console.
//! - **v2.1** (`PUT /v2.1/{project_id}/servers/{server_id}/os-reset-password`, marked deprecated):
//!   its page (一键重置云服务器密码（废弃）) gives one set for both OSes, `!@$%^-_=+[{}]:,./?`,
//!   a superset of the v1 set. It includes `^{}` (refused by the Windows console) and `$`
//!   (refused by the Linux console); the console's form does not govern the API, so the v2.1 set
//!   is used as documented.
//!
//! # Where the documents differ on the other rules
//!
//! - Forbidden words: the v1 text names `Administrator` and `root` whatever the OS (不能包含用户名
//!   "Administrator" 和"root"及逆序字符); the v2.1 text forbids only the user name and its reverse.
//!   The user name, when it is not one of those, is forbidden on v1 as well. Matching ignores
//!   letter case everywhere.
//! - Consecutive characters: the v2.1 page and the console apply "no more than two consecutive
//!   characters of the user name" to Windows only; the v1 OpenAPI text (不能包含用户名
//!   "Administrator" 中连续3个字符) names `Administrator` and no OS. The checker follows the
//!   Windows-only reading (and on v1 Windows checks runs of `Administrator` as well as of the user
//!   name); [`generate_password`] avoids such runs on every OS, so that its passwords pass either
//!   reading.
//! - A leading `/` is refused on Windows for both APIs: a Windows command line such as `net user`
//!   reads an argument that starts with `/` as a switch, whichever API delivered the password.
//!   Generated passwords never start with `/`.
//!
//! The APIs check a password only when asked to (v1 with `is_check_password: true`; v2.1 never), so
//! without this check a password that breaks the rules may be accepted by the API and then fail on
//! the server.

use crate::message::Message;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// The special characters allowed by the v1 API (`/v1/{project_id}/cloudservers/…`), for Windows
/// and Linux alike.
pub const V1_SPECIALS: &str = "!@%-_=+[]:./?";

/// The special characters allowed by the v2.1 API (`/v2.1/{project_id}/servers/…`), for Windows
/// and Linux alike.
pub const V21_SPECIALS: &str = "!@$%^-_=+[{}]:,./?";

/// The shortest password that either API accepts, in characters.
pub const MIN_LEN: usize = 8;

/// The longest password that either API accepts, in characters.
pub const MAX_LEN: usize = 26;

/// How many of the four kinds of characters a password must use.
pub const REQUIRED_KINDS: usize = 3;

/// The error that [`generate_password`] returns when the rules cannot be met: only possible with
/// hand-edited [`PasswordRules`] (say `min_len > max_len`); rules made by [`PasswordRules::new`]
/// can always be met.
pub const RULES_UNSATISFIABLE: getrandom::Error = getrandom::Error::new_custom(1);

/// At most this many invalid characters are named one by one; the rest are counted.
const MAX_NAMED_INVALID: usize = 8;

/// Tries of the generator before it gives up on rules that cannot be met. With rules from
/// [`PasswordRules::new`] more than a third of the tries succeed, so this is never reached.
const MAX_ATTEMPTS: usize = 10_000;

/// The OS of the server whose password is reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum OsType {
    /// Windows: the user is `Administrator`.
    Windows,
    /// Linux: the user is `root`.
    Linux,
}

impl OsType {
    /// The account that the reset applies to: `Administrator` on Windows, `root` on Linux.
    #[must_use]
    pub fn default_user_name(self) -> &'static str {
        match self {
            OsType::Windows => "Administrator",
            OsType::Linux => "root",
        }
    }
}

/// The API used for the reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum ResetApi {
    /// `PUT /v1/{project_id}/cloudservers/{server_id}/os-reset-password`.
    #[serde(rename = "v1")]
    V1,
    /// `PUT /v2.1/{project_id}/servers/{server_id}/os-reset-password`.
    #[serde(rename = "v2.1")]
    V21,
}

/// The rules for one API and OS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRules {
    /// The API used for the reset.
    pub api: ResetApi,
    /// The server's OS.
    pub os: OsType,
    /// The shortest allowed password, in characters.
    pub min_len: usize,
    /// The longest allowed password, in characters.
    pub max_len: usize,
    /// The allowed special characters (see the module documentation for the choice).
    pub specials: &'static str,
    /// The account whose password is reset.
    pub user_name: String,
}

impl PasswordRules {
    /// The rules for `api` and `os`. `user_name` is the account whose password is reset; `None`
    /// or a blank name means the OS's default ([`OsType::default_user_name`]).
    #[must_use]
    pub fn new(api: ResetApi, os: OsType, user_name: Option<&str>) -> Self {
        let user_name = user_name
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or(os.default_user_name())
            .to_owned();
        let specials = match api {
            ResetApi::V1 => V1_SPECIALS,
            ResetApi::V21 => V21_SPECIALS,
        };
        PasswordRules {
            api,
            os,
            min_len: MIN_LEN,
            max_len: MAX_LEN,
            specials,
            user_name,
        }
    }
}

/// One broken rule: a stable code and what is wrong, as a message of the catalogues
/// (`rules-*`; `{"rule", "message": {"messageId", "args"}}` in JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct BrokenRule {
    /// The stable code: `TOO_SHORT`, `TOO_LONG`, `TOO_FEW_KINDS`, `INVALID_CHARACTER`,
    /// `CONTAINS_FORBIDDEN_WORD`, `CONTAINS_USER_NAME` (more than two consecutive characters of
    /// the user name) or `STARTS_WITH_SLASH`.
    pub rule: &'static str,
    /// What is wrong.
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub message: Message,
}

impl BrokenRule {
    fn new(rule: &'static str, message: Message) -> Self {
        BrokenRule { rule, message }
    }
}

/// Every broken rule, in the order: length, kinds, invalid characters (one entry per distinct
/// character, the first eight named), forbidden words, runs of the user name, leading slash.
/// Empty: the password is acceptable. Messages never repeat the password; they may name an
/// invalid character or the word that it contains.
#[must_use]
pub fn check_password(password: &str, rules: &PasswordRules) -> Vec<BrokenRule> {
    check_with(password, rules, &WordRules::for_checker(rules))
}

/// A random password of `length` characters (clamped to the rules' range) that passes
/// [`check_password`] for these rules, chosen uniformly among all such passwords that use all four
/// kinds of characters (ASCII letters, digits and the rules' special characters). Characters are
/// drawn with the OS's random number generator (`getrandom`), with rejection sampling (no modulo
/// bias), and whole candidates that break a rule are drawn again. It never starts with `/`, and
/// it contains neither `Administrator`, `root`, the user name nor their reverses, nor three
/// consecutive characters of `Administrator` or of the user name, whatever the API and OS.
///
/// # Errors
///
/// The OS's random number generator failed, or ([`RULES_UNSATISFIABLE`]) hand-edited rules cannot
/// be met.
pub fn generate_password(
    rules: &PasswordRules,
    length: usize,
) -> Result<Zeroizing<String>, getrandom::Error> {
    if rules.min_len > rules.max_len {
        return Err(RULES_UNSATISFIABLE);
    }
    let length = length.clamp(rules.min_len, rules.max_len);
    let alphabet = Alphabet::new(rules.specials);
    if length < alphabet.kinds() {
        return Err(RULES_UNSATISFIABLE);
    }
    let words = WordRules::for_generator(rules);
    let mut random = RandomBytes::new();
    let mut candidate = Zeroizing::new(String::with_capacity(length));
    for _ in 0..MAX_ATTEMPTS {
        candidate.zeroize();
        for _ in 0..length {
            let index = random.below(alphabet.chars.len())?;
            if let Some(&c) = alphabet.chars.get(index) {
                candidate.push(char::from(c));
            }
        }
        if Kinds::of(&candidate, rules.specials).count() == alphabet.kinds()
            && check_with(&candidate, rules, &words).is_empty()
        {
            return Ok(candidate);
        }
    }
    Err(RULES_UNSATISFIABLE)
}

/// The rules about words and runs, which differ between the checker and the (stricter) generator.
struct WordRules<'a> {
    /// Words that must not appear, nor their reverses, in any letter case.
    forbidden: Vec<&'a str>,
    /// Names of which no three consecutive characters may appear, in any letter case.
    runs: Vec<&'a str>,
    /// Whether the password must not start with `/`.
    no_leading_slash: bool,
}

impl<'a> WordRules<'a> {
    /// The documented rules (see the module documentation).
    fn for_checker(rules: &'a PasswordRules) -> Self {
        let mut forbidden = Vec::new();
        let mut runs = Vec::new();
        if rules.api == ResetApi::V1 {
            push_name(&mut forbidden, "Administrator");
            push_name(&mut forbidden, "root");
        }
        push_name(&mut forbidden, &rules.user_name);
        if rules.os == OsType::Windows {
            if rules.api == ResetApi::V1 {
                push_name(&mut runs, "Administrator");
            }
            push_name(&mut runs, &rules.user_name);
        }
        WordRules {
            forbidden,
            runs,
            no_leading_slash: rules.os == OsType::Windows,
        }
    }

    /// A superset of every reading of the documents, whatever the API and OS.
    fn for_generator(rules: &'a PasswordRules) -> Self {
        let mut forbidden = Vec::new();
        let mut runs = Vec::new();
        for name in ["Administrator", "root", rules.user_name.as_str()] {
            push_name(&mut forbidden, name);
        }
        for name in ["Administrator", rules.user_name.as_str()] {
            push_name(&mut runs, name);
        }
        WordRules {
            forbidden,
            runs,
            no_leading_slash: true,
        }
    }
}

/// Adds `name` unless it is empty or already there in another letter case.
fn push_name<'a>(names: &mut Vec<&'a str>, name: &'a str) {
    let lower = name.to_lowercase();
    if !name.is_empty() && !names.iter().any(|n| n.to_lowercase() == lower) {
        names.push(name);
    }
}

/// The four kinds of characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Kinds {
    upper: bool,
    lower: bool,
    digit: bool,
    special: bool,
}

impl Kinds {
    /// The kinds that `password` uses.
    fn of(password: &str, specials: &str) -> Self {
        let mut kinds = Kinds::default();
        for c in password.chars() {
            kinds.add(c, specials);
        }
        kinds
    }

    /// Records the kind of `c`; false if `c` is not allowed.
    fn add(&mut self, c: char, specials: &str) -> bool {
        if c.is_ascii_uppercase() {
            self.upper = true;
        } else if c.is_ascii_lowercase() {
            self.lower = true;
        } else if c.is_ascii_digit() {
            self.digit = true;
        } else if specials.contains(c) {
            self.special = true;
        } else {
            return false;
        }
        true
    }

    fn count(self) -> usize {
        [self.upper, self.lower, self.digit, self.special]
            .iter()
            .filter(|used| **used)
            .count()
    }
}

fn check_with(password: &str, rules: &PasswordRules, words: &WordRules<'_>) -> Vec<BrokenRule> {
    let mut broken = Vec::new();

    let len = password.chars().count();
    if len < rules.min_len {
        broken.push(BrokenRule::new(
            "TOO_SHORT",
            Message::new("rules-too-short")
                .with("length", len)
                .with("min", rules.min_len),
        ));
    }
    if len > rules.max_len {
        broken.push(BrokenRule::new(
            "TOO_LONG",
            Message::new("rules-too-long")
                .with("length", len)
                .with("max", rules.max_len),
        ));
    }

    let mut kinds = Kinds::default();
    let mut invalid: Vec<char> = Vec::new();
    for c in password.chars() {
        if !kinds.add(c, rules.specials) && !invalid.contains(&c) {
            invalid.push(c);
        }
    }
    if kinds.count() < REQUIRED_KINDS {
        broken.push(too_few_kinds(kinds, rules.specials));
    }
    for &c in invalid.iter().take(MAX_NAMED_INVALID) {
        let shown = show_char(c);
        broken.push(BrokenRule::new(
            "INVALID_CHARACTER",
            Message::new("rules-invalid-character")
                .with("char", shown)
                .with("specials", rules.specials),
        ));
    }
    if invalid.len() > MAX_NAMED_INVALID {
        let more = invalid.len() - MAX_NAMED_INVALID;
        broken.push(BrokenRule::new(
            "INVALID_CHARACTER",
            Message::new("rules-invalid-more").with("count", more),
        ));
    }

    let lower = Zeroizing::new(password.to_lowercase());
    for &word in &words.forbidden {
        let word_lower = word.to_lowercase();
        let reverse: String = word_lower.chars().rev().collect();
        if lower.contains(&word_lower) || lower.contains(&reverse) {
            broken.push(forbidden_word(word, &word_lower, &reverse));
        }
    }
    for &name in &words.runs {
        if contains_run(&lower, name) {
            broken.push(BrokenRule::new(
                "CONTAINS_USER_NAME",
                Message::new("rules-user-name").with("name", name),
            ));
        }
    }

    if words.no_leading_slash && password.starts_with('/') {
        broken.push(BrokenRule::new(
            "STARTS_WITH_SLASH",
            Message::new("rules-leading-slash"),
        ));
    }

    broken
}

fn too_few_kinds(kinds: Kinds, specials: &str) -> BrokenRule {
    let missing: Vec<Message> = [
        (kinds.upper, Message::new("rules-kind-upper")),
        (kinds.lower, Message::new("rules-kind-lower")),
        (kinds.digit, Message::new("rules-kind-digit")),
        (
            kinds.special,
            Message::new("rules-kind-special").with("specials", specials),
        ),
    ]
    .into_iter()
    .filter(|(used, _)| !used)
    .map(|(_, kind)| kind)
    .collect();
    // The list, in the language's own way of joining (at least 2 kinds are missing when fewer
    // than 3 of 4 are used).
    let mut list = match missing.len() {
        0..=2 => Message::new("rules-kinds-2"),
        3 => Message::new("rules-kinds-3"),
        _ => Message::new("rules-kinds-4"),
    };
    for (name, kind) in ["first", "second", "third", "fourth"]
        .into_iter()
        .zip(missing)
    {
        list = list.with(name, kind);
    }
    BrokenRule::new(
        "TOO_FEW_KINDS",
        Message::new("rules-too-few-kinds")
            .with("used", kinds.count())
            .with("required", REQUIRED_KINDS)
            .with("missing", list),
    )
}

fn forbidden_word(word: &str, word_lower: &str, reverse: &str) -> BrokenRule {
    let message = if reverse == word_lower {
        Message::new("rules-forbidden-word").with("word", word)
    } else {
        Message::new("rules-forbidden-word-or-reverse")
            .with("word", word)
            .with("reverse", reverse)
    };
    BrokenRule::new("CONTAINS_FORBIDDEN_WORD", message)
}

/// Whether `lower` (already lowercased) contains three consecutive characters of `name`.
fn contains_run(lower: &str, name: &str) -> bool {
    let name: Vec<char> = name.to_lowercase().chars().collect();
    name.windows(3)
        .any(|run| lower.contains(run.iter().collect::<String>().as_str()))
}

/// A visible name for a character: `'#'`, `'é' (U+00E9)`, or `U+0020` for spaces and controls.
fn show_char(c: char) -> String {
    if c.is_ascii_graphic() {
        format!("'{c}'")
    } else if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}' (U+{:04X})", u32::from(c))
    }
}

/// The characters that the generator draws from.
struct Alphabet {
    /// A-Z, a-z, 0-9, then the ASCII special characters of the rules, without repeats.
    chars: Vec<u8>,
    /// Whether there is at least one special character.
    has_specials: bool,
}

impl Alphabet {
    fn new(specials: &str) -> Self {
        let mut chars: Vec<u8> = (b'A'..=b'Z')
            .chain(b'a'..=b'z')
            .chain(b'0'..=b'9')
            .collect();
        let mut has_specials = false;
        for c in specials.bytes() {
            if c.is_ascii_graphic() && !c.is_ascii_alphanumeric() && !chars.contains(&c) {
                chars.push(c);
                has_specials = true;
            }
        }
        Alphabet {
            chars,
            has_specials,
        }
    }

    /// How many kinds of characters a generated password uses: 4, or 3 without specials.
    fn kinds(&self) -> usize {
        if self.has_specials {
            4
        } else {
            3
        }
    }
}

/// Random bytes from the OS, fetched a block at a time; used bytes are zeroed.
struct RandomBytes {
    block: Zeroizing<[u8; 64]>,
    next: usize,
}

impl RandomBytes {
    fn new() -> Self {
        RandomBytes {
            block: Zeroizing::new([0; 64]),
            next: 64,
        }
    }

    fn byte(&mut self) -> Result<u8, getrandom::Error> {
        if self.next >= self.block.len() {
            getrandom::fill(&mut *self.block)?;
            self.next = 0;
        }
        let slot = self
            .block
            .get_mut(self.next)
            .ok_or(getrandom::Error::UNEXPECTED)?;
        let byte = *slot;
        *slot = 0;
        self.next += 1;
        Ok(byte)
    }

    /// A uniform random number below `n` (1 to 256): bytes at or above the largest multiple of
    /// `n` are drawn again, so that every value is equally likely.
    fn below(&mut self, n: usize) -> Result<usize, getrandom::Error> {
        if n == 0 || n > 256 {
            return Err(getrandom::Error::UNEXPECTED);
        }
        let limit = 256 - 256 % n;
        loop {
            let byte = usize::from(self.byte()?);
            if byte < limit {
                return Ok(byte % n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{render, Lang};

    /// The broken rule's message in English and in Chinese.
    fn en(b: &BrokenRule) -> String {
        render(&b.message, Lang::En)
    }
    fn zh(b: &BrokenRule) -> String {
        render(&b.message, Lang::Zh)
    }

    const SHORT: &str = "TOO_SHORT";
    const LONG: &str = "TOO_LONG";
    const KINDS: &str = "TOO_FEW_KINDS";
    const INVALID: &str = "INVALID_CHARACTER";
    const WORD: &str = "CONTAINS_FORBIDDEN_WORD";
    const USER: &str = "CONTAINS_USER_NAME";
    const SLASH: &str = "STARTS_WITH_SLASH";

    /// The four combinations, in the order of the expectation columns below.
    const COMBOS: [(ResetApi, OsType); 4] = [
        (ResetApi::V1, OsType::Windows),
        (ResetApi::V1, OsType::Linux),
        (ResetApi::V21, OsType::Windows),
        (ResetApi::V21, OsType::Linux),
    ];

    /// One row: a password, a user name, and the codes expected for
    /// [v1 Windows, v1 Linux, v2.1 Windows, v2.1 Linux].
    type Row = (
        &'static str,
        Option<&'static str>,
        [&'static [&'static str]; 4],
    );

    const NONE: &[&str] = &[];
    const ALL_OK: [&[&str]; 4] = [NONE, NONE, NONE, NONE];

    const fn all(codes: &'static [&'static str]) -> [&'static [&'static str]; 4] {
        [codes, codes, codes, codes]
    }

    const ROWS: &[Row] = &[
        // Kinds, and the smallest valid passwords.
        ("Xk7mQ2pLw9", None, ALL_OK),
        ("Xk7m!Q2pL", None, ALL_OK),
        ("xk7m!q2pl", None, ALL_OK),
        ("XK7M!Q2PL", None, ALL_OK),
        ("Xkm!Qp!Lw", None, ALL_OK),
        ("abcdefgh12", None, all(&[KINDS])),
        ("ABCDEFGH!!", None, all(&[KINDS])),
        ("12345678!!", None, all(&[KINDS])),
        ("abcdefghij", None, all(&[KINDS])),
        // Boundary lengths: 7, 8, 26, 27.
        ("Xk7m!Q2", None, all(&[SHORT])),
        ("Xk7m!Q2p", None, ALL_OK),
        ("Xk7m!Q2pLw9Xk7m!Q2pLw9Xk7m", None, ALL_OK),
        ("Xk7m!Q2pLw9Xk7m!Q2pLw9Xk7m!", None, all(&[LONG])),
        ("", None, all(&[SHORT, KINDS])),
        ("Xk", None, all(&[SHORT, KINDS])),
        // Characters outside every set.
        ("Xk7m#Q2pL", None, all(&[INVALID])),
        ("Xk7m Q2pL", None, all(&[INVALID])),
        ("Xk7m\"Q2pL'", None, all(&[INVALID, INVALID])),
        ("Xk7m\\Q2pL", None, all(&[INVALID])),
        ("Xk7m\u{0}Q2pL", None, all(&[INVALID])),
        // Characters of the v2.1 set only.
        ("Xk7m$Q2pL", None, [&[INVALID], &[INVALID], NONE, NONE]),
        ("Xk7m^Q2pL", None, [&[INVALID], &[INVALID], NONE, NONE]),
        ("Xk7m,Q2pL", None, [&[INVALID], &[INVALID], NONE, NONE]),
        (
            "Xk7m{Q2pL}",
            None,
            [&[INVALID, INVALID], &[INVALID, INVALID], NONE, NONE],
        ),
        (
            "xk7m$q2pl",
            None,
            [&[KINDS, INVALID], &[KINDS, INVALID], NONE, NONE],
        ),
        // Every v1 special, then every v2.1 special ($ ^ { } , are not v1's).
        ("Xk7!@%-_=+[]:./?", None, ALL_OK),
        (
            "Xk7!@$%^-_=+[{}]:,./?",
            None,
            [&[INVALID; 5], &[INVALID; 5], NONE, NONE],
        ),
        // Forbidden words and their reverses, in any letter case.
        ("Xk7root!Q", None, [&[WORD], &[WORD], NONE, &[WORD]]),
        ("Xk7TOOR!Q", None, [&[WORD], &[WORD], NONE, &[WORD]]),
        (
            "Xk7Administrator!",
            None,
            [&[WORD, USER], &[WORD], &[WORD, USER], NONE],
        ),
        (
            "Xk7rotartsinimda!",
            None,
            [&[WORD, USER], &[WORD], &[WORD, USER], NONE],
        ),
        ("Xk7rOoT!Q", Some("  "), [&[WORD], &[WORD], NONE, &[WORD]]),
        // More than two consecutive characters of the user name (Windows only).
        ("Xk7Adm!Q2p", None, [&[USER], NONE, &[USER], NONE]),
        ("Xk7tOr!Q2p", None, [&[USER], NONE, &[USER], NONE]),
        ("Xk7RAT!Q2p", None, [&[USER], NONE, &[USER], NONE]),
        ("Xk7Ad!Q2pm", None, ALL_OK),
        ("Xk7roo!Q2p", None, ALL_OK),
        // A leading slash (Windows only).
        ("/Xk7m!Q2p", None, [&[SLASH], NONE, &[SLASH], NONE]),
        ("Xk7m!Q2p/", None, ALL_OK),
        (
            "/root",
            None,
            [
                &[SHORT, KINDS, WORD, SLASH],
                &[SHORT, KINDS, WORD],
                &[SHORT, KINDS, SLASH],
                &[SHORT, KINDS, WORD],
            ],
        ),
        // Several rules at once.
        (
            "root#",
            None,
            [
                &[SHORT, KINDS, INVALID, WORD],
                &[SHORT, KINDS, INVALID, WORD],
                &[SHORT, KINDS, INVALID],
                &[SHORT, KINDS, INVALID, WORD],
            ],
        ),
        // A given user name.
        (
            "Xk7ubuntu!",
            Some("ubuntu"),
            [&[WORD, USER], &[WORD], &[WORD, USER], &[WORD]],
        ),
        (
            "Xk7utnubu!",
            Some("ubuntu"),
            [&[WORD, USER], &[WORD], &[WORD, USER], &[WORD]],
        ),
        ("Xk7root!Q", Some("ubuntu"), [&[WORD], &[WORD], NONE, NONE]),
        ("Xk7in2!Qp", Some("Admin2"), [&[USER], NONE, &[USER], NONE]),
        ("Xk7str!Qp", Some("Admin2"), [&[USER], NONE, NONE, NONE]),
        (
            "xk7administrator!",
            Some("ADMINISTRATOR"),
            [&[WORD, USER], &[WORD], &[WORD, USER], &[WORD]],
        ),
        ("Xk7m!Q2pL", Some("abba"), ALL_OK),
        (
            "Xk7abba!Q",
            Some("abba"),
            [&[WORD, USER], &[WORD], &[WORD, USER], &[WORD]],
        ),
        // Unicode: counted in characters, never valid, never a panic.
        ("Xk7mé!Q2", None, all(&[INVALID])),
        ("Xk7m!Q2pLw9Xk7m!Q2pLw9Xk7é", None, all(&[INVALID])),
        ("密码Xk7m!Q2p", None, all(&[INVALID, INVALID])),
        ("Xk7m!Q2p🔑", None, all(&[INVALID])),
        ("Xk7m!Q2p\u{200B}", None, all(&[INVALID])),
        ("Xk7m!Q2pe\u{301}", None, all(&[INVALID])),
        (
            "ＸＫ７ｍ！Ｑ２ｐ",
            None,
            all(&[
                KINDS, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID,
            ]),
        ),
        (
            "абвгдежзийк",
            None,
            all(&[
                KINDS, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID, INVALID,
                INVALID,
            ]),
        ),
        (
            "Xk7ROOT!Qİ",
            None,
            [
                &[INVALID, WORD],
                &[INVALID, WORD],
                &[INVALID],
                &[INVALID, WORD],
            ],
        ),
    ];

    fn codes(broken: &[BrokenRule]) -> Vec<&'static str> {
        broken.iter().map(|b| b.rule).collect()
    }

    #[test]
    fn table_of_cases_on_every_api_and_os() {
        let mut failures = Vec::new();
        let mut cases = 0;
        for (password, user, expected) in ROWS {
            for ((api, os), want) in COMBOS.iter().zip(expected) {
                cases += 1;
                let rules = PasswordRules::new(*api, *os, *user);
                let broken = check_password(password, &rules);
                let got = codes(&broken);
                if got != *want {
                    failures.push(format!(
                        "{password:?} user {user:?} on {api:?}/{os:?}: got {got:?}, want {want:?}"
                    ));
                }
                for b in &broken {
                    let (en, zh) = (en(b), zh(b));
                    assert!(!en.is_empty() && !zh.is_empty());
                    assert_ne!(en, zh);
                    if password.chars().count() >= 5 {
                        assert!(!en.contains(password), "{password:?}: {en}");
                        assert!(!zh.contains(password), "{password:?}: {zh}");
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(cases >= 200, "{cases} cases");
    }

    #[test]
    fn every_rule_breaks_on_every_api_and_os() {
        for (api, os) in COMBOS {
            let rules = PasswordRules::new(api, os, None);
            let seen: Vec<&str> = ROWS
                .iter()
                .flat_map(|(password, user, _)| {
                    let rules = PasswordRules::new(api, os, *user);
                    codes(&check_password(password, &rules))
                })
                .collect();
            let mut expected = vec![SHORT, LONG, KINDS, INVALID, WORD];
            if os == OsType::Windows {
                expected.extend([USER, SLASH]);
            }
            for code in expected {
                assert!(
                    seen.contains(&code),
                    "{code} never broken on {api:?}/{os:?}"
                );
            }
            assert_eq!(rules.min_len, 8);
            assert_eq!(rules.max_len, 26);
        }
    }

    #[test]
    fn special_sets_per_api_and_os() {
        for os in [OsType::Windows, OsType::Linux] {
            assert_eq!(
                PasswordRules::new(ResetApi::V1, os, None).specials,
                "!@%-_=+[]:./?"
            );
            assert_eq!(
                PasswordRules::new(ResetApi::V21, os, None).specials,
                "!@$%^-_=+[{}]:,./?"
            );
        }
        // Every v1 special is in the v2.1 set and in both console sets.
        for c in V1_SPECIALS.chars() {
            assert!(V21_SPECIALS.contains(c));
            assert!("$!@%-_=+[]:./,?".contains(c), "Windows console: {c}");
            assert!("!@%-_=+[]:./^,{}?".contains(c), "Linux console: {c}");
        }
    }

    #[test]
    fn user_names_default_by_os() {
        let name = |os, user| PasswordRules::new(ResetApi::V1, os, user).user_name;
        assert_eq!(name(OsType::Windows, None), "Administrator");
        assert_eq!(name(OsType::Linux, None), "root");
        assert_eq!(name(OsType::Linux, Some("")), "root");
        assert_eq!(name(OsType::Windows, Some(" \t")), "Administrator");
        assert_eq!(name(OsType::Linux, Some(" ubuntu ")), "ubuntu");
    }

    #[test]
    fn messages_name_the_character_and_the_limits() {
        let rules = PasswordRules::new(ResetApi::V1, OsType::Windows, None);
        let broken = check_password("Xk7m#Q2pL", &rules);
        assert_eq!(broken.len(), 1);
        assert!(en(&broken[0]).contains("the character '#', which is not allowed"));
        assert!(en(&broken[0]).contains("!@%-_=+[]:./?"));
        assert!(zh(&broken[0]).contains("'#'"));

        let broken = check_password("Xk7m Q2pL", &rules);
        assert!(en(&broken[0]).contains("U+0020"), "{}", en(&broken[0]));
        let broken = check_password("Xk7mé!Q2", &rules);
        assert!(
            en(&broken[0]).contains("'é' (U+00E9)"),
            "{}",
            en(&broken[0])
        );

        let broken = check_password("Xk7m!Q2", &rules);
        assert!(en(&broken[0]).contains("7 characters"));
        assert!(en(&broken[0]).contains("at least 8"));
        let broken = check_password("X", &rules);
        assert!(en(&broken[0]).contains("has 1 character;"));
        assert!(zh(&broken[0]).contains("密码长度为 1 个字符"));

        let broken = check_password("abcdefgh12", &rules);
        assert!(en(&broken[0]).contains("uppercase letters"));
        assert!(en(&broken[0]).contains("special characters (!@%-_=+[]:./?)"));
        assert!(!en(&broken[0]).contains("digits"));
        assert!(zh(&broken[0]).contains("大写字母"));
        // The missing kinds joined in each language's way.
        assert_eq!(
            en(&broken[0]),
            "The password uses 2 of the 4 kinds of characters; at least 3 are required. Add some \
             of: uppercase letters, special characters (!@%-_=+[]:./?)."
        );
        assert!(zh(&broken[0]).ends_with("可以加入：大写字母、特殊字符（!@%-_=+[]:./?）。"));

        let broken = check_password("Xk7toor!Q", &rules);
        assert!(en(&broken[0]).contains("\"root\" or its reverse \"toor\""));

        let broken = check_password("абвгдежзийк", &rules);
        assert_eq!(
            broken.last().map(en).as_deref(),
            Some("The password contains 3 more characters that are not allowed.")
        );
    }

    #[test]
    fn huge_and_odd_input_does_not_panic() {
        let long: String = "Xk7m!Q2pé#密🔑\u{0}".repeat(10_000);
        for (api, os) in COMBOS {
            let rules = PasswordRules::new(api, os, None);
            let broken = check_password(&long, &rules);
            assert!(codes(&broken).contains(&LONG));
            assert!(broken.len() <= 12);
            let odd = PasswordRules::new(api, os, Some("İ🔑"));
            let _ = check_password("İ🔑İXk7m!Q2p\u{10FFFF}", &odd);
        }
    }

    #[test]
    fn serializes_in_camel_case() {
        let rules = PasswordRules::new(ResetApi::V21, OsType::Linux, None);
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "api": "v2.1", "os": "linux", "minLen": 8, "maxLen": 26,
                "specials": "!@$%^-_=+[{}]:,./?", "userName": "root"
            })
        );
        let broken = check_password("Xk7m!Q2", &rules);
        let json = serde_json::to_value(&broken).unwrap();
        assert_eq!(json[0]["rule"], "TOO_SHORT");
        assert_eq!(json[0]["message"]["messageId"], "rules-too-short");
        assert_eq!(json[0]["message"]["args"]["length"], 7);
        let api: ResetApi = serde_json::from_str("\"v1\"").unwrap();
        assert_eq!(api, ResetApi::V1);
        let os: OsType = serde_json::from_str("\"windows\"").unwrap();
        assert_eq!(os, OsType::Windows);
        assert_eq!(serde_json::to_string(&ResetApi::V21).unwrap(), "\"v2.1\"");
    }

    /// 2000 passwords per API and OS, at every requested length from 0 to 30 (clamped to 8-26).
    #[test]
    fn generated_passwords_pass_the_checker() {
        for (api, os) in COMBOS {
            for user in [None, Some("ubuntu"), Some("Admin2")] {
                let rules = PasswordRules::new(api, os, user);
                let runs = if user.is_none() { 2000 } else { 200 };
                let mut used: Vec<char> = Vec::new();
                for i in 0..runs {
                    let requested = i % 31;
                    let password = generate_password(&rules, requested).unwrap();
                    assert_eq!(password.chars().count(), requested.clamp(8, 26));
                    let broken = check_password(&password, &rules);
                    assert!(broken.is_empty(), "{api:?}/{os:?}: {:?}", codes(&broken));
                    assert_eq!(Kinds::of(&password, rules.specials).count(), 4);
                    assert!(!password.starts_with('/'));
                    let lower = password.to_lowercase();
                    assert!(!contains_run(&lower, "Administrator"));
                    for c in password.chars() {
                        if !used.contains(&c) {
                            used.push(c);
                        }
                    }
                }
                if user.is_none() {
                    // Every letter, digit and special character turns up.
                    assert_eq!(used.len(), 62 + rules.specials.len(), "{api:?}/{os:?}");
                }
            }
        }
    }

    #[test]
    fn generated_passwords_differ() {
        let rules = PasswordRules::new(ResetApi::V1, OsType::Windows, None);
        let mut seen: Vec<Zeroizing<String>> = Vec::new();
        for _ in 0..200 {
            let password = generate_password(&rules, 16).unwrap();
            assert!(!seen.contains(&password));
            seen.push(password);
        }
    }

    #[test]
    fn generator_copes_with_edited_rules() {
        let mut rules = PasswordRules::new(ResetApi::V1, OsType::Windows, None);
        rules.specials = "";
        let password = generate_password(&rules, 8).unwrap();
        assert!(check_password(&password, &rules).is_empty());
        assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));

        rules.specials = "é#";
        let password = generate_password(&rules, 12).unwrap();
        assert!(password.contains('#'));
        assert!(check_password(&password, &rules).is_empty());

        rules.user_name = String::new();
        assert!(generate_password(&rules, 12).is_ok());

        rules.user_name = "x".to_owned();
        let password = generate_password(&rules, 26).unwrap();
        assert!(!password.contains(['x', 'X']));

        rules.min_len = 30;
        assert_eq!(generate_password(&rules, 12), Err(RULES_UNSATISFIABLE));
        rules.min_len = 0;
        rules.max_len = 2;
        assert_eq!(generate_password(&rules, 12), Err(RULES_UNSATISFIABLE));
        rules.max_len = 3;
        rules.specials = "";
        assert_eq!(generate_password(&rules, 5).map(|p| p.len()), Ok(3));
        assert_eq!(generate_password(&rules, 0), Err(RULES_UNSATISFIABLE));
    }

    #[test]
    fn random_numbers_have_no_modulo_bias() {
        // 75 symbols: bytes from 225 (= 3 * 75) up are drawn again.
        let mut block = [0u8; 64];
        block[..5].copy_from_slice(&[225, 255, 224, 74, 75]);
        let mut random = RandomBytes {
            block: Zeroizing::new(block),
            next: 0,
        };
        assert_eq!(random.below(75).unwrap(), 224 % 75);
        assert_eq!(random.below(75).unwrap(), 74);
        assert_eq!(random.below(75).unwrap(), 0);
        assert_eq!(random.block[..5], [0; 5], "used bytes are zeroed");
        assert!(random.below(0).is_err());
        assert!(random.below(257).is_err());

        let mut random = RandomBytes::new();
        let mut counts = [0u32; 75];
        for _ in 0..75_000 {
            counts[random.below(75).unwrap()] += 1;
        }
        // Each symbol expects 1000; 6 standard deviations is about 190.
        assert!(
            counts.iter().all(|&n| (800..1200).contains(&n)),
            "{counts:?}"
        );
        let mut random = RandomBytes::new();
        for n in [1, 2, 3, 7, 128, 255, 256] {
            for _ in 0..100 {
                assert!(random.below(n).unwrap() < n);
            }
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    fn combo() -> impl Strategy<Value = (ResetApi, OsType)> {
        (
            prop_oneof![Just(ResetApi::V1), Just(ResetApi::V21)],
            prop_oneof![Just(OsType::Windows), Just(OsType::Linux)],
        )
    }

    proptest! {
        #[test]
        fn length_and_characters_are_judged_exactly(s in any::<String>(), (api, os) in combo()) {
            let rules = PasswordRules::new(api, os, None);
            let got: Vec<&str> = check_password(&s, &rules).iter().map(|b| b.rule).collect();
            let len = s.chars().count();
            prop_assert_eq!(got.contains(&"TOO_SHORT"), len < 8);
            prop_assert_eq!(got.contains(&"TOO_LONG"), len > 26);
            let all_allowed =
                s.chars().all(|c| c.is_ascii_alphanumeric() || rules.specials.contains(c));
            prop_assert_eq!(got.contains(&"INVALID_CHARACTER"), !all_allowed);
        }

        #[test]
        fn allowed_passwords_of_four_kinds_only_break_word_rules(
            s in "[A-Z][a-z][0-9][!@%_=+:.?-][A-Za-z0-9!@%_=+:.?-]{4,22}",
            (api, os) in combo(),
            user in prop_oneof![Just(None), "[a-z]{1,8}".prop_map(Some)],
        ) {
            let rules = PasswordRules::new(api, os, user.as_deref());
            for b in check_password(&s, &rules) {
                prop_assert!(
                    ["CONTAINS_FORBIDDEN_WORD", "CONTAINS_USER_NAME"].contains(&b.rule),
                    "{}", b.rule
                );
            }
        }

        #[test]
        fn generated_passwords_pass(
            (api, os) in combo(),
            length in 0usize..40,
            user in "[A-Za-z]{0,12}",
        ) {
            let rules = PasswordRules::new(api, os, Some(&user));
            let password = generate_password(&rules, length).unwrap();
            prop_assert_eq!(password.chars().count(), length.clamp(8, 26));
            prop_assert!(check_password(&password, &rules).is_empty());
        }
    }
}
