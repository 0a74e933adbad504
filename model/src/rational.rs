//! Exact rational numbers for frame rates (24000/1001 is not 23.976).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A positive rational `num/den`, kept in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rational {
    num: u32,
    den: u32,
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Rational {
    /// 25 fps: what a view assumes when a file states no frame rate.
    pub const FALLBACK_RATE: Rational = Rational { num: 25, den: 1 };

    /// `num/den` reduced; `None` when either is zero.
    pub fn new(num: u32, den: u32) -> Option<Rational> {
        if num == 0 || den == 0 {
            return None;
        }
        let g = gcd(num, den);
        Some(Rational {
            num: num / g,
            den: den / g,
        })
    }

    /// Numerator.
    pub fn num(self) -> u32 {
        self.num
    }

    /// Denominator.
    pub fn den(self) -> u32 {
        self.den
    }

    /// The value as a float, for display only.
    pub fn as_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// Not of the form `num/den` (or `n`) with both positive.
#[derive(Debug, thiserror::Error)]
#[error("not a positive rational: {0:?}")]
pub struct BadRational(pub String);

impl FromStr for Rational {
    type Err = BadRational;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadRational(s.to_owned());
        let (n, d) = s.trim().split_once(['/', ':']).unwrap_or((s.trim(), "1"));
        let n = n.trim().parse().map_err(|_| bad())?;
        let d = d.trim().parse().map_err(|_| bad())?;
        Rational::new(n, d).ok_or_else(bad)
    }
}

impl TryFrom<String> for Rational {
    type Error = BadRational;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Rational> for String {
    fn from(r: Rational) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reduces_and_prints() {
        assert_eq!(
            "24000/1001".parse::<Rational>().map(|r| r.to_string()).ok(),
            Some("24000/1001".into())
        );
        assert_eq!(
            "50/2".parse::<Rational>().map(|r| r.to_string()).ok(),
            Some("25/1".into())
        );
        assert_eq!(
            "30".parse::<Rational>().map(|r| r.to_string()).ok(),
            Some("30/1".into())
        );
        for bad in ["0/0", "0/1", "1/0", "x/2", "", "-1/2"] {
            assert!(bad.parse::<Rational>().is_err(), "{bad}");
        }
        let r: Result<Rational, _> = serde_json::from_str("\"30000/1001\"");
        assert!((r.map(Rational::as_f64).unwrap_or(0.0) - 29.97).abs() < 0.001);
    }
}
