//! Near-identical texts, as organised campaigns produce them: each long answer becomes
//! the set of its three-word shingles (words as the search reads them: lower case,
//! punctuation dropped), summarised by a MinHash signature of `HASHES` values. Two
//! signatures agree on a share of their values that estimates the Jaccard similarity of
//! the two sets. Locality-sensitive hashing finds the pairs worth comparing without
//! comparing every pair: the signature is cut into `BANDS` bands of `ROWS` values, and
//! texts sharing one whole band are candidates (for a similarity s, the chance of
//! being a candidate is 1 − (1 − s^ROWS)^BANDS: 0.99 at 0.8, 0.72 at 0.5). Candidates
//! whose estimate reaches the coordinator's threshold are grouped (union–find).

use std::collections::HashMap;

use super::search::words;

/// Values in a signature.
pub const HASHES: usize = 64;
/// Bands of `ROWS` values.
pub const BANDS: usize = 16;
pub const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
const SHINGLE: usize = 3;
/// Fewer words than this and a text is too short to say it was copied (« Oui. »,
/// « Pas d'avis. »): not compared.
pub const MIN_WORDS: usize = 12;

/// The kind of question whose answers are compared: long texts, where testimonies and
/// pasted statements are written.
pub const COMPARED_KIND: &str = "long_text";

/// The threshold by default, and the lowest one the banding serves well.
pub const DEFAULT_THRESHOLD: f64 = 0.8;
pub const LOWEST_THRESHOLD: f64 = 0.5;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// SplitMix64: the fixed stream of multipliers of the hash family (the same on every
/// machine and at every start, so stored signatures stay comparable).
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// (a, b) per hash: h(x) = high 32 bits of a·x + b, a odd (multiply–shift hashing).
static FAMILY: std::sync::LazyLock<[(u64, u64); HASHES]> = std::sync::LazyLock::new(|| {
    let mut state = 0x636f_6e63_6572_746f; // "concerto"
    let mut family = [(0, 0); HASHES];
    for pair in &mut family {
        *pair = (splitmix(&mut state) | 1, splitmix(&mut state));
    }
    family
});

/// FNV-1a over a shingle's words, then mixed: one 64-bit value per shingle.
fn shingle_hash(shingle: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in shingle {
        for byte in word.bytes().chain([b' ']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut state = hash;
    splitmix(&mut state)
}

impl Signature {
    /// The signature of `text`; `None` when it has fewer than `MIN_WORDS` words.
    pub fn of(text: &str) -> Option<Self> {
        let words = words(text);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut shingles: Vec<u64> = words.windows(SHINGLE).map(shingle_hash).collect();
        shingles.sort_unstable();
        shingles.dedup();
        let mut values = [u32::MAX; HASHES];
        for (value, (a, b)) in values.iter_mut().zip(FAMILY.iter()) {
            for x in &shingles {
                let h = (a.wrapping_mul(*x).wrapping_add(*b) >> 32) as u32;
                if h < *value {
                    *value = h;
                }
            }
        }
        Some(Self(values))
    }

    /// The estimated Jaccard similarity of the two texts' shingles.
    pub fn similarity(&self, other: &Self) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// As stored: the values in little-endian order.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != HASHES * 4 {
            return None;
        }
        let mut values = [0u32; HASHES];
        for (value, chunk) in values.iter_mut().zip(bytes.chunks_exact(4)) {
            *value = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Self(values))
    }

    fn band(&self, band: usize) -> u64 {
        let mut key = band as u64;
        for value in &self.0[band * ROWS..(band + 1) * ROWS] {
            key = splitmix(&mut (key ^ u64::from(*value)));
        }
        key
    }
}

fn root(parents: &mut [usize], mut at: usize) -> usize {
    while parents[at] != at {
        parents[at] = parents[parents[at]];
        at = parents[at];
    }
    at
}

/// The groups of near-identical texts among `signatures` (indexes into it, each group
/// in index order, groups by decreasing size): texts whose estimated similarity to
/// another member reaches `threshold`, directly or through others.
pub fn groups(signatures: &[Signature], threshold: f64) -> Vec<Vec<usize>> {
    let mut parents: Vec<usize> = (0..signatures.len()).collect();
    let mut buckets: HashMap<u64, usize> = HashMap::with_capacity(signatures.len());
    for band in 0..BANDS {
        buckets.clear();
        for (i, signature) in signatures.iter().enumerate() {
            match buckets.entry(signature.band(band)) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                }
                std::collections::hash_map::Entry::Occupied(first) => {
                    // Compared with the bucket's first text: a copy of a copy joins
                    // through the band its members share with it.
                    let first = *first.get();
                    let (a, b) = (root(&mut parents, first), root(&mut parents, i));
                    if a != b && signatures[first].similarity(signature) >= threshold {
                        parents[b] = a;
                    }
                }
            }
        }
    }
    let mut grouped: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..signatures.len() {
        let r = root(&mut parents, i);
        grouped.entry(r).or_default().push(i);
    }
    let mut found: Vec<Vec<usize>> = grouped.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut found {
        group.sort_unstable();
    }
    found.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAMPAIGN: &str = "Nous, patients atteints de maladies chroniques, demandons que \
        l'intelligence artificielle à l'hôpital reste sous le contrôle des soignants et que \
        chaque patient soit informé de son usage dans son parcours de soins.";

    #[test]
    fn identical_and_near_identical_texts_are_grouped_unrelated_ones_not() {
        let a_few_words_changed = CAMPAIGN
            .replace("maladies chroniques", "maladies rares")
            .replace("informé", "averti");
        let texts = [
            CAMPAIGN.to_owned(),
            "Un texte sans rapport : les transports sanitaires en zone rurale manquent \
             cruellement de moyens et les délais s'allongent chaque année."
                .to_owned(),
            CAMPAIGN.to_uppercase(),
            a_few_words_changed.clone(),
            "Trop court.".to_owned(),
        ];
        let signatures: Vec<Option<Signature>> = texts.iter().map(|t| Signature::of(t)).collect();
        assert!(signatures[4].is_none(), "too short to compare");
        let kept: Vec<Signature> = signatures.iter().flatten().cloned().collect();
        // Case and punctuation do not count.
        assert_eq!(kept[0].similarity(&kept[2]), 1.0);
        let near = kept[0].similarity(&kept[3]);
        assert!((0.5..1.0).contains(&near), "{near}");
        assert!(kept[0].similarity(&kept[1]) < 0.2);
        assert_eq!(groups(&kept, 0.5), [vec![0, 2, 3]]);
        // A threshold above the near copy's similarity leaves it out.
        assert_eq!(groups(&kept, 1.0), [vec![0, 2]]);
    }

    #[test]
    fn long_texts_are_compared() {
        let spec: crate::domain::questions::QuestionSpec =
            serde_json::from_value(serde_json::json!({"kind": "long_text", "max_length": 100}))
                .unwrap();
        assert_eq!(spec.kind(), COMPARED_KIND);
    }

    #[test]
    fn signatures_are_stored_and_read_back() {
        let signature = Signature::of(CAMPAIGN).unwrap();
        let bytes = signature.to_bytes();
        assert_eq!(bytes.len(), HASHES * 4);
        assert_eq!(Signature::from_bytes(&bytes), Some(signature));
        assert_eq!(Signature::from_bytes(&bytes[1..]), None);
    }

    #[test]
    fn the_estimate_follows_the_true_similarity() {
        // 40 distinct words; the second text replaces the last 10: of 38 shingles each,
        // 28 are shared, Jaccard 28 / 48 ≈ 0.58.
        let first: Vec<String> = (0..40).map(|i| format!("mot{i}")).collect();
        let mut second = first.clone();
        for (i, word) in second.iter_mut().enumerate().skip(30) {
            *word = format!("autre{i}");
        }
        let (a, b) = (
            Signature::of(&first.join(" ")).unwrap(),
            Signature::of(&second.join(" ")).unwrap(),
        );
        let estimate = a.similarity(&b);
        assert!((estimate - 28.0 / 48.0).abs() < 0.2, "{estimate}");
    }
}
