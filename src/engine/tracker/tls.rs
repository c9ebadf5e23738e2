//! TLS for `https://` trackers: rustls (with ring) over the tracker's TCP connection.
//!
//! The certificate must chain to one of Mozilla's root certificates, built into the program
//! (webpki-roots), so it works the same on every system without reading a certificate store,
//! plus any certificates in the PEM file [`super::TrackerConfig::extra_ca`] names (a private
//! tracker's own authority; the tests' throwaway one). The name checked is the URL's host, an
//! IP address included. Client configurations are built once per set of roots and shared.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::{TlsConnector, client::TlsStream};

/// Most certificates read from an extra authority file (it is the user's, but still bounded).
const MAX_EXTRA_CERTS: usize = 64;

/// The client configuration trusting Mozilla's roots and those in `extra_ca`.
pub(crate) fn client_config(extra_ca: Option<&Path>) -> Result<Arc<ClientConfig>, String> {
    type Cache = Vec<(Option<PathBuf>, Arc<ClientConfig>)>;
    static CACHE: Mutex<Cache> = Mutex::new(Vec::new());
    let key = extra_ca.map(Path::to_path_buf);
    let mut cache = super::lock(&CACHE);
    if let Some((_, config)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(config.clone());
    }
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = extra_ca {
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read the certificates in `{}`: {e}", path.display()))?;
        let mut added = 0;
        for cert in certs.take(MAX_EXTRA_CERTS) {
            let cert = cert.map_err(|e| format!("`{}`: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("`{}`: {e}", path.display()))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!("`{}` holds no certificate", path.display()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = Arc::new(config);
    cache.push((key, config.clone()));
    Ok(config)
}

/// The TLS handshake with `host` over `tcp`.
pub(crate) async fn connect(
    tcp: TcpStream,
    host: &str,
    config: Arc<ClientConfig>,
) -> std::io::Result<TlsStream<TcpStream>> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    TlsConnector::from(config).connect(name, tcp).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_built_in_roots_make_a_configuration_once() {
        let a = client_config(None).unwrap();
        let b = client_config(None).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn an_unreadable_or_empty_authority_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let e = client_config(Some(&missing)).unwrap_err();
        assert!(e.contains("missing.pem"), "{e}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificates here\n").unwrap();
        let e = client_config(Some(&empty)).unwrap_err();
        assert!(e.contains("holds no certificate"), "{e}");
    }
}
