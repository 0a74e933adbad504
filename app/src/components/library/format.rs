//! Small formatting helpers for cards and panels.

/// `m:ss` or `h:mm:ss`.
pub fn duration(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Bytes in B, KB, MB, GB (decimal, as file managers show).
pub fn size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1e3 {
        format!("{b:.0} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration(3.2), "0:03");
        assert_eq!(duration(754.0), "12:34");
        assert_eq!(duration(3725.0), "1:02:05");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_500_000), "1.5 MB");
        assert_eq!(size(2_000_000_000), "2.00 GB");
    }
}
