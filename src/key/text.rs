//! Turning "whatever the user gave us" into either DER bytes or clean text.
//!
//! Key files arrive from Windows editors (CRLF, BOMs, UTF-16), from e-mails and chat (indented
//! lines, text around the block) and from JavaScript sources (a PEM glued onto one line). Every
//! copy made here of key text is `Zeroizing`.

use crate::error::{Error, Result};
use crate::message::Message;
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

/// The two shapes a key input can have.
pub(crate) enum Input<'a> {
    /// Binary DER (a `.der` / `.key` file).
    Der(&'a [u8]),
    /// Text, normalised: LF line ends, each line trimmed, no BOM, no surrounding blank space.
    Text(Zeroizing<String>),
}

/// Decides between DER and text and normalises text.
pub(crate) fn classify(input: &[u8]) -> Result<Input<'_>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.first() == Some(&0x30)
        && !input
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        return Ok(Input::Der(input));
    }
    let decoded: Zeroizing<String> = if let Some(utf16) = input.strip_prefix(b"\xFF\xFE") {
        decode_utf16(utf16, u16::from_le_bytes)?
    } else if let Some(utf16) = input.strip_prefix(b"\xFE\xFF") {
        decode_utf16(utf16, u16::from_be_bytes)?
    } else {
        match core::str::from_utf8(input) {
            Ok(s) => Zeroizing::new(s.to_owned()),
            Err(_) => return Err(Error::not_a_key()),
        }
    };
    Ok(Input::Text(normalise(&decoded)))
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Zeroizing<String>> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() / 2));
    for ch in char::decode_utf16(units) {
        out.push(ch.map_err(|_| Error::not_a_key())?);
    }
    Ok(out)
}

/// LF line ends, every line trimmed, PEM armour lines on lines of their own, no blank edges.
fn normalise(text: &str) -> Zeroizing<String> {
    // A PEM written on one line (as JavaScript sources do) gets its armour lines back.
    let mut spaced = Zeroizing::new(String::with_capacity(text.len() + 8));
    let mut rest = text;
    while let Some(pos) = rest.find("-----") {
        let (before, after) = rest.split_at(pos);
        spaced.push_str(before);
        // An armour line is "-----BEGIN X-----" or "-----END X-----".
        let armour_end = after[5..].find("-----").map(|i| i + 10);
        match armour_end {
            Some(end) if after.starts_with("-----BEGIN ") || after.starts_with("-----END ") => {
                spaced.push('\n');
                spaced.push_str(&after[..end]);
                spaced.push('\n');
                rest = &after[end..];
            }
            _ => {
                spaced.push_str("-----");
                rest = &after[5..];
            }
        }
    }
    spaced.push_str(rest);

    let mut out = Zeroizing::new(String::with_capacity(spaced.len()));
    // Inside a PEM block, RFC 1421 headers (`Proc-Type:`, `DEK-Info:`) end with a blank line.
    #[derive(PartialEq)]
    enum Prev {
        Begin,
        Header,
        Other,
    }
    let mut prev = Prev::Other;
    for line in spaced
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let is_header = line.contains(':') && !line.starts_with("-----");
        if prev == Prev::Header && !is_header {
            out.push('\n');
        }
        prev = if line.starts_with("-----BEGIN ") {
            Prev::Begin
        } else if is_header && prev != Prev::Other {
            Prev::Header
        } else {
            Prev::Other
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The label of the PEM block to read: the first `... PRIVATE KEY` block, else the first block.
pub(crate) fn pem_label(text: &str) -> Option<String> {
    let labels: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("-----BEGIN ")
                .and_then(|l| l.strip_suffix("-----"))
                .or_else(|| {
                    l.strip_prefix("---- BEGIN ")
                        .and_then(|l| l.strip_suffix(" ----"))
                })
        })
        .collect();
    labels
        .iter()
        .find(|l| l.ends_with("PRIVATE KEY"))
        .or_else(|| labels.first())
        .map(|l| l.trim().to_owned())
}

/// The block labelled `label`, decoded (headers kept: legacy encrypted PEM needs them).
pub(crate) fn pem_block(text: &str, label: &str, format_name: &str) -> Result<pem::Pem> {
    let blocks = pem::parse_many(text.as_bytes())
        .map_err(|_| Error::key_malformed(format_name, Message::new("key-detail-pem-base64")))?;
    blocks
        .into_iter()
        .find(|b| b.tag() == label)
        .ok_or_else(|| Error::key_malformed(format_name, Message::new("key-detail-pem-end")))
}

/// `ssh-rsa AAAA...` and friends: a public key line, not a private key.
pub(crate) fn looks_like_openssh_public_key(text: &str) -> bool {
    [
        "ssh-rsa ",
        "ssh-ed25519 ",
        "ssh-dss ",
        "ecdsa-sha2-",
        "sk-ssh-ed25519",
        "sk-ecdsa-sha2-",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

/// A PEM body pasted without its armour: only base64 characters, decoding to a DER SEQUENCE.
pub(crate) fn bare_base64(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    if compact.len() < 64 {
        return None;
    }
    let der = Base64::decode_vec(&compact).ok().map(Zeroizing::new)?;
    (der.first() == Some(&0x30)).then_some(der)
}

/// A label or header value trimmed to something safe to put in a message.
pub(crate) fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_restores_one_line_pem() {
        let t = normalise(
            "  -----BEGIN RSA PRIVATE KEY-----AAAA\r\nBBBB-----END RSA PRIVATE KEY-----  ",
        );
        assert_eq!(
            &*t,
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\nBBBB\n-----END RSA PRIVATE KEY-----\n"
        );
    }

    #[test]
    fn label_prefers_private_key_blocks() {
        let t = "-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(pem_label(t).as_deref(), Some("PRIVATE KEY"));
    }

    #[test]
    fn utf16_text_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "ssh-rsa AAAA".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        match classify(&bytes) {
            Ok(Input::Text(t)) => assert_eq!(&*t, "ssh-rsa AAAA\n"),
            _ => panic!("expected text"),
        }
    }
}
