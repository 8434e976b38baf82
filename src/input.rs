//! Reading inputs with bounds: only regular files (a FIFO or a device could
//! block forever or never end), and never more than a set number of bytes.
//! Standard input is read the same way, up to the same limit.

use std::io::Read;
use std::path::Path;

/// The default `--max-file-size`: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10_000_000;

/// Rule files and config files are read up to this size (1 MiB).
pub const MAX_YAML_FILE_SIZE: u64 = 1 << 20;

/// Why an input was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a regular file (a FIFO, socket, device or directory).
    NotRegular(&'static str),
    /// Larger than the limit: skipped.
    /// `size` is unknown for a stream.
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(f, "is {what}, not a regular file"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "skipped: {} the size limit of {} (raise it with --max-file-size)",
                size.map_or_else(
                    || "more than".to_string(),
                    |s| format!("{} is over", human_size(s))
                ),
                human_size(*limit)
            ),
            ReadError::Io(m) => f.write_str(m),
        }
    }
}

/// `12.3 MB`, `512 bytes`.
pub fn human_size(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else if n >= 1_000 {
        format!("{:.1} kB", n as f64 / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// Parse a `--max-file-size` value: bytes, or a number with `k`, `K`, `kB`,
/// `M`, `MB`, `G`, `GB` (powers of 1000) or `KiB`, `MiB`, `GiB` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (try 10MB, 512kB or 1000000)"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit `{other}` (use kB, MB, GB, KiB, MiB, GiB)"
            ));
        }
    };
    let v = n * mult;
    if !v.is_finite() || v < 0.0 || v > u64::MAX as f64 {
        return Err(format!("`{s}` is out of range"));
    }
    Ok(v as u64)
}

fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        return "a directory";
    }
    "not a regular file"
}

/// An I/O error in words: the system's reason, without "(os error N)".
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        std::io::ErrorKind::NotADirectory => "not a directory".into(),
        _ => {
            let s = e.to_string();
            // Drop the "(os error N)" suffix; the words are enough, in
            // lower case like the others ("Too many open files").
            let words = s.split(" (os error").next().unwrap_or(&s);
            let mut chars = words.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().chain(chars).collect::<String>()
            })
        }
    }
}

/// Is `path` (following symlinks) something other than a regular file or
/// directory? Then it is named here, without opening it.
pub fn special_kind(path: &Path) -> Option<&'static str> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.file_type();
    (!t.is_file() && !t.is_dir()).then(|| kind_of(t))
}

/// Read a regular file of at most `limit` bytes. A FIFO or device is
/// refused before it is opened (opening a FIFO blocks until a writer comes).
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Io(io_message(&e)))?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(io_message(&e)))?;
    // The path may have been swapped between the two looks: check what was opened.
    let opened = file.metadata().map_err(|e| ReadError::Io(io_message(&e)))?;
    if !opened.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(opened.file_type())));
    }
    read_limited(file, limit, Some(opened.len()))
}

/// Read standard input, up to `limit` bytes.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    read_limited(std::io::stdin().lock(), limit, None)
}

/// Read at most `limit` bytes; more is an error (the file grew, or a pipe
/// does not end), and reading stops at `limit + 1` bytes.
fn read_limited(r: impl Read, limit: u64, hint: Option<u64>) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(hint.unwrap_or(0).min(limit) as usize);
    r.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(io_message(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: hint.filter(|&h| h > limit),
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("512k"), Ok(512_000));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn read_stops_past_the_limit() {
        let data = [b'a'; 100];
        assert!(read_limited(&data[..], 100, None).is_ok());
        assert_eq!(
            read_limited(&data[..], 99, None),
            Err(ReadError::TooLarge {
                size: None,
                limit: 99
            })
        );
    }
}
