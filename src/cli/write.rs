//! `--fix` writing a draft back: atomically, through a temporary file in
//! the real file's directory.

use emaillint::input::io_message;
use std::io::Write;
use std::path::Path;

/// Write fixed bytes over the draft at `path`, which held `original`.
///
/// A symlink is followed: the file it points to is fixed and the link
/// stays. A file with other hard links is not written (renaming over one
/// name would split it from the others), nor one that changed since it was
/// read. The new text goes to an unpredictable temporary file beside the
/// real file, created exclusively with the draft's permissions, synced, and
/// renamed over it, so a crash or a full disk leaves the old draft or the
/// new one, never half of one.
pub(crate) fn write_fixed(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), String> {
    let real = std::fs::canonicalize(path).map_err(|e| io_message(&e))?;
    let meta = std::fs::metadata(&real).map_err(|e| io_message(&e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "it has {} hard links, and replacing it would split this name from the others; fix a copy instead",
                meta.nlink()
            ));
        }
    }
    let changed = || "the file changed while it was being linted; run again".to_string();
    let now = emaillint::input::read_file(&real, original.len() as u64).map_err(|_| changed())?;
    if now != original {
        return Err(changed());
    }
    let dir = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".emaillint.tmp")
        .permissions(meta.permissions())
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "cannot create a temporary file in {}: {}",
                dir.display(),
                io_message(&e)
            )
        })?;
    let io = |e: std::io::Error| io_message(&e);
    tmp.write_all(fixed).map_err(io)?;
    // The umask may have narrowed the mode at creation; restore it exactly.
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner when allowed (root fixing someone's draft).
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&real).map_err(|e| io_message(&e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
