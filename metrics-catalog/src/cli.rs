//! The command-line entry a binary exposes: `--emit-catalog DIR` writes the catalog and tells `main` to stop.

use std::path::PathBuf;

use crate::{Catalog, Error};

/// The flag [`handle_args`] recognises.
pub const FLAG: &str = "--emit-catalog";

/// If the process was started with `--emit-catalog DIR` (or `--emit-catalog=DIR`), builds the catalog, writes
/// it under `DIR`, prints the files written to stderr and returns `Ok(true)`: `main` should return. Otherwise
/// returns `Ok(false)` without calling `build`.
///
/// ```no_run
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     if metrics_catalog::cli::handle_args(|| {
///         let registry = metrics_core::Registry::global().map_err(|e| metrics_catalog::Error::from(e.clone()))?;
///         metrics_catalog::Catalog::builder("My service", registry).build()
///     })? {
///         return Ok(());
///     }
///     // ... the service
///     Ok(())
/// }
/// ```
///
/// # Errors
///
/// A missing directory after the flag, the catalog's own error, or an I/O error.
pub fn handle_args(build: impl FnOnce() -> Result<Catalog, Error>) -> Result<bool, Error> {
    handle(std::env::args().skip(1), build)
}

/// [`handle_args`] over given arguments (without the program name).
///
/// # Errors
///
/// As [`handle_args`].
pub fn handle(
    args: impl IntoIterator<Item = String>,
    build: impl FnOnce() -> Result<Catalog, Error>,
) -> Result<bool, Error> {
    let mut args = args.into_iter();
    let mut dir = None;
    while let Some(arg) = args.next() {
        if arg == FLAG {
            dir = Some(
                args.next()
                    .ok_or_else(|| Error::new(format!("{FLAG} needs a directory: {FLAG} DIR")))?,
            );
        } else if let Some(value) = arg
            .strip_prefix(FLAG)
            .and_then(|rest| rest.strip_prefix('='))
        {
            dir = Some(value.to_owned());
        }
    }
    let Some(dir) = dir else { return Ok(false) };
    let dir = PathBuf::from(dir);
    let written = build()?.write_to(&dir)?;
    for file in written {
        eprintln!("wrote {}", dir.join(file).display());
    }
    Ok(true)
}

impl From<metrics_core::RegistryError> for Error {
    fn from(error: metrics_core::RegistryError) -> Self {
        Error::new(error.to_string())
    }
}
