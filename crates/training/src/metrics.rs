//! Ranking and threshold metrics, computed the textbook way (ties get average ranks).

/// ROC-AUC via the Mann-Whitney U statistic. `None` when one class is missing.
pub fn roc_auc(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut ranks = vec![0f64; scores.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[idx[k]] = avg;
        }
        i = j + 1;
    }
    let pos = labels.iter().filter(|l| **l).count() as f64;
    let neg = labels.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    let sum: f64 = ranks
        .iter()
        .zip(labels)
        .filter(|(_, l)| **l)
        .map(|(r, _)| r)
        .sum();
    Some((sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Average precision (area under the precision-recall curve, step-wise, as scikit-learn).
pub fn average_precision(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|l| **l).count();
    if pos == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp, mut ap, mut last_recall) = (0usize, 0usize, 0f64, 0f64);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j < idx.len() && scores[idx[j]] == scores[idx[i]] {
            if labels[idx[j]] {
                tp += 1;
            } else {
                fp += 1;
            }
            j += 1;
        }
        let recall = tp as f64 / pos as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - last_recall) * precision;
        last_recall = recall;
        i = j;
    }
    Some(ap)
}

/// Precision and recall of "score >= threshold" for the positive class.
pub fn precision_recall(scores: &[f32], labels: &[bool], threshold: f32) -> (f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0f64, 0f64, 0f64);
    for (s, l) in scores.iter().zip(labels) {
        match (*s >= threshold, *l) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fneg += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fneg > 0.0 {
        tp / (tp + fneg)
    } else {
        0.0
    };
    (p, r)
}

/// Share of negatives scored at or above the threshold.
pub fn false_positive_rate(scores: &[f32], labels: &[bool], threshold: f32) -> f64 {
    let neg: Vec<f32> = scores
        .iter()
        .zip(labels)
        .filter(|(_, l)| !**l)
        .map(|(s, _)| *s)
        .collect();
    if neg.is_empty() {
        return 0.0;
    }
    neg.iter().filter(|s| **s >= threshold).count() as f64 / neg.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let s = [0.1, 0.4, 0.35, 0.8];
        let l = [false, false, true, true];
        assert_eq!(roc_auc(&s, &l), Some(0.75));
        let ap = average_precision(&s, &l).expect("ap");
        assert!((ap - 0.833_333).abs() < 1e-5, "{ap}");
        assert_eq!(precision_recall(&s, &l, 0.3), (2.0 / 3.0, 1.0));
        assert_eq!(false_positive_rate(&s, &l, 0.3), 0.5);
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(roc_auc(&[0.5], &[true]), None);
    }
}
