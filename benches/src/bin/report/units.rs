//! How times and ratios are printed, in the tables and on the charts.

use crate::summary::Measurement;

/// A time unit for nanosecond values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Nanoseconds.
    Ns,
    /// Microseconds.
    Us,
    /// Milliseconds.
    Ms,
    /// Seconds.
    S,
}

impl Unit {
    /// The unit a value of `ns` nanoseconds is printed in.
    pub(crate) fn for_ns(ns: f64) -> Self {
        let ns = ns.abs();
        if ns >= 1e9 {
            Unit::S
        } else if ns >= 1e6 {
            Unit::Ms
        } else if ns >= 1e3 {
            Unit::Us
        } else {
            Unit::Ns
        }
    }

    fn scale(self) -> f64 {
        match self {
            Unit::Ns => 1.0,
            Unit::Us => 1e3,
            Unit::Ms => 1e6,
            Unit::S => 1e9,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Us => "µs",
            Unit::Ms => "ms",
            Unit::S => "s",
        }
    }
}

/// Three significant digits (no exponent), at most two decimals.
pub(crate) fn sig3(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// `36.7 ns`, `1.85 µs`.
pub(crate) fn fmt_ns(ns: f64) -> String {
    let unit = Unit::for_ns(ns);
    format!("{} {}", sig3(ns / unit.scale()), unit.symbol())
}

/// A chart axis tick: as [`fmt_ns`] but without trailing zeros
/// (`1 µs`, `0.5 ns`).
pub(crate) fn fmt_tick(ns: f64) -> String {
    let unit = Unit::for_ns(ns);
    let mut number = sig3(ns / unit.scale());
    if number.contains('.') {
        number = number
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    format!("{number} {}", unit.symbol())
}

/// A table cell: the median, then the min–max range in the median's unit:
/// `36.7 ns (35.1–38.0)`; `n/a` for nothing.
pub(crate) fn fmt_cell(m: Option<&Measurement>) -> String {
    let Some(m) = m else { return "n/a".to_string() };
    let unit = Unit::for_ns(m.median);
    let s = unit.scale();
    format!(
        "{} {} ({}–{})",
        sig3(m.median / s),
        unit.symbol(),
        sig3(m.min / s),
        sig3(m.max / s)
    )
}

/// `a / b`, with about as many digits as it deserves; `n/a` for nothing.
pub(crate) fn fmt_ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => {
            let r = a / b;
            if r >= 10.0 {
                format!("{r:.1}")
            } else if r >= 0.1 {
                format!("{r:.2}")
            } else {
                format!("{r:.3}")
            }
        }
        _ => "n/a".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(fmt_ns(0.28), "0.28 ns");
        assert_eq!(fmt_ns(36.71), "36.7 ns");
        assert_eq!(fmt_ns(132.4), "132 ns");
        assert_eq!(fmt_ns(1850.0), "1.85 µs");
        assert_eq!(fmt_ns(39_360.0), "39.4 µs");
        assert_eq!(fmt_ns(2.5e6), "2.50 ms");
        assert_eq!(fmt_tick(1000.0), "1 µs");
        assert_eq!(fmt_tick(0.1), "0.1 ns");
        assert_eq!(fmt_tick(20.0), "20 ns");
        assert_eq!(fmt_tick(100_000.0), "100 µs");
    }

    #[test]
    fn cells_and_ratios() {
        let m = Measurement {
            median: 36.7,
            min: 35.12,
            max: 38.0,
            samples: 25,
        };
        assert_eq!(fmt_cell(Some(&m)), "36.7 ns (35.1–38.0)");
        let m = Measurement {
            median: 498.0,
            min: 210.0,
            max: 39_360.0,
            samples: 25,
        };
        assert_eq!(fmt_cell(Some(&m)), "498 ns (210–39360)");
        assert_eq!(fmt_cell(None), "n/a");
        assert_eq!(fmt_ratio(Some(11.6), Some(147.0)), "0.079");
        assert_eq!(fmt_ratio(Some(36.7), Some(52.7)), "0.70");
        assert_eq!(fmt_ratio(Some(478.0), Some(20.0)), "23.9");
        assert_eq!(fmt_ratio(Some(1.0), None), "n/a");
        assert_eq!(fmt_ratio(Some(1.0), Some(0.0)), "n/a");
    }
}
