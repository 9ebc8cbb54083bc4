//! Shared helpers for Jirga's benchmarks (see README.md).

/// The value at quantile `q` (0..=1) of sorted durations in microseconds.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}
