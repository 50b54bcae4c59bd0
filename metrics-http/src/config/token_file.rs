//! Reading the bearer token from the file named by `METRICS_BEARER_TOKEN_FILE`: a regular file of bounded size,
//! preferably readable by its owner only.

use std::io::Read as _;
use std::path::Path;

use super::error::{BEARER_TOKEN_FILE, ConfigError};
use crate::token::BearerToken;

/// The largest token file read. A token is a few dozen bytes; the bound keeps a wrong path (`/dev/zero`, a log
/// file) from being read until memory runs out.
pub const MAX_TOKEN_FILE_BYTES: u64 = 4096;

/// The token in `path`, and a warning when the file is readable by group or others.
///
/// Only a regular file (or a symbolic link to one) is opened: a FIFO or a device would block start-up or never
/// end. The type is checked on the path and again on the opened file, so a file swapped in between is still
/// refused.
pub(crate) fn read_token_file(path: &Path) -> Result<(BearerToken, Option<String>), ConfigError> {
    let invalid = |reason: String| ConfigError::invalid(BEARER_TOKEN_FILE, reason);
    let shown = path.display();
    let metadata = std::fs::metadata(path)
        .map_err(|error| invalid(format!("cannot read {shown}: {error}")))?;
    if !metadata.is_file() {
        return Err(invalid(format!(
            "{shown} is not a regular file: the token must be in a plain file"
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|error| invalid(format!("cannot read {shown}: {error}")))?;
    let metadata = file
        .metadata()
        .map_err(|error| invalid(format!("cannot read {shown}: {error}")))?;
    if !metadata.is_file() {
        return Err(invalid(format!("{shown} is not a regular file")));
    }
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| invalid(format!("cannot read {shown}: {error}")))?;
    if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(invalid(format!(
            "{shown} is larger than {MAX_TOKEN_FILE_BYTES} bytes: it does not hold just a token"
        )));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| invalid(format!("{shown} is not UTF-8 text")))?;
    let token = BearerToken::new(&text).map_err(|error| invalid(error.to_string()))?;
    Ok((token, loose_permissions(path, &metadata)))
}

/// A warning when others than the owner may read the token.
#[cfg(unix)]
fn loose_permissions(path: &Path, metadata: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = metadata.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then(|| {
        format!(
            "METRICS_BEARER_TOKEN_FILE {} is readable by group or others (mode {mode:04o}): `chmod 600` it",
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn loose_permissions(_: &Path, _: &std::fs::Metadata) -> Option<String> {
    None
}
