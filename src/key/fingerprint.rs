//! Fingerprints of the public key, in the two forms users compare against:
//! `SHA256:<base64>` as `ssh-keygen -l` prints it, and MD5 colon-hex as OpenStack's and Huawei
//! Cloud's key pair lists show it. Both hash the OpenSSH wire encoding of the public key.

use crate::error::{Error, Result};
use crate::message::Message;
use md5::{Digest, Md5};
use ssh_key::public::{KeyData, RsaPublicKey};
use ssh_key::{HashAlg, PublicKey};

pub(super) struct Fingerprints {
    pub sha256: String,
    pub md5: String,
    pub openssh: String,
}

impl Fingerprints {
    pub fn of(key: &rsa::RsaPublicKey, comment: Option<&str>) -> Result<Self> {
        let unrepresentable =
            || Error::key_malformed("RSA", Message::new("key-detail-public-encoding"));
        let data = KeyData::Rsa(RsaPublicKey::try_from(key).map_err(|_| unrepresentable())?);
        let public = PublicKey::new(data, comment.unwrap_or_default());
        let blob = public.to_bytes().map_err(|_| unrepresentable())?;
        let md5 = Md5::digest(&blob)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        Ok(Fingerprints {
            sha256: public.fingerprint(HashAlg::Sha256).to_string(),
            md5,
            openssh: public
                .to_openssh()
                .map_err(|_| unrepresentable())?
                .trim_end()
                .to_owned(),
        })
    }
}
