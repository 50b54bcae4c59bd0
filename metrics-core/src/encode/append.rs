//! Appending the short pieces of a sample line without a `memcpy` call per piece.
//!
//! A line is a handful of pieces of a few bytes each (its opening, a label value, the digits). `String::push_str`
//! of a length the compiler does not know is a call into libc's `memcpy`, which for pieces this short costs more
//! in the call and its size dispatch than in copying: it was a third of a scrape's time. A copy whose length is a
//! constant compiles to a few register moves instead, so the helpers here match on the length, and each arm of
//! the match copies a constant size ([`push_short`] for values, [`push_opening`] for a line's fixed opening); and
//! numbers are copied from a table of digits rather than formatted into a buffer first ([`push_u64`]).

/// Appends `text` with one arm per listed length: each arm is the same call, but in each the compiler knows the
/// length, so it emits that copy in place; other lengths take the plain call.
macro_rules! by_length {
    ($out:expr, $text:expr, $($n:literal)*) => {
        match $text.len() {
            $($n => $out.push_str($text),)*
            _ => $out.push_str($text),
        }
    };
}

/// Appends `text`, with the copy inlined for texts of up to 16 bytes (label values, digits).
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_short(out: &mut String, text: &str) {
    by_length!(out, text, 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

/// Appends a line's opening (`name{label="`), with the copy inlined for openings of up to 64 bytes. The opening of
/// a family is always the same length, so the branch to its arm is predicted.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_opening(out: &mut String, text: &str) {
    by_length!(out, text,
        1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
        33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64);
}

/// Every three-digit group, `000` to `999`, end to end: the digits of a number are copied from here. Small enough
/// (3 KB) to stay in the first-level cache while a scrape streams its output past it.
static TRIPLES: &str = match std::str::from_utf8(&TRIPLE_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("digits are ASCII"),
};
static TRIPLE_BYTES: [u8; 3000] = triples();

const fn triples() -> [u8; 3000] {
    let mut bytes = [0u8; 3000];
    let mut i = 0;
    while i < 1000 {
        bytes[3 * i] = b'0' + (i / 100) as u8;
        bytes[3 * i + 1] = b'0' + (i / 10 % 10) as u8;
        bytes[3 * i + 2] = b'0' + (i % 10) as u8;
        i += 1;
    }
    bytes
}

/// Appends `v` in decimal.
///
/// The digits are copied three at a time from a table ([`TRIPLES`]) rather than formatted into a buffer and copied
/// from there (what `itoa` and a `push_str` do): that copy's wide loads read bytes the formatting had just stored
/// two at a time, which the CPU cannot forward from its store buffer, and the stall was a fifth of a scrape.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_u64(out: &mut String, v: u64) {
    const GROUP: u64 = 1000;
    if v < GROUP {
        push_leading(out, v as usize);
    } else if v < GROUP * GROUP {
        push_leading(out, (v / GROUP) as usize);
        push_group(out, (v % GROUP) as usize);
    } else {
        push_large(out, v);
    }
}

/// [`push_u64`] for the rarer value of seven digits or more (at most seven groups of three).
#[inline(never)]
fn push_large(out: &mut String, mut v: u64) {
    let mut groups = [0u16; 7];
    let mut count = 0;
    while v >= 1000 {
        groups[count] = (v % 1000) as u16;
        v /= 1000;
        count += 1;
    }
    push_leading(out, v as usize);
    for group in groups[..count].iter().rev() {
        push_group(out, usize::from(*group));
    }
}

/// Appends `v` in decimal, with a `-` when negative.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Appends the three digits of `group` (below 1,000), zeros included.
#[allow(clippy::inline_always)]
#[inline(always)]
fn push_group(out: &mut String, group: usize) {
    if let Some(digits) = TRIPLES.get(3 * group..3 * group + 3) {
        out.push_str(digits);
    }
}

/// Appends `group` (below 1,000) without leading zeros; `0` for zero.
#[allow(clippy::inline_always)]
#[inline(always)]
fn push_leading(out: &mut String, group: usize) {
    let zeros = usize::from(group < 100) + usize::from(group < 10);
    if let Some(digits) = TRIPLES.get(3 * group + zeros..3 * group + 3) {
        push_short(out, digits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_every_length_append_whole() {
        let source: String = ('a'..='z').cycle().take(200).collect();
        for len in 0..200 {
            let piece = &source[..len];
            let mut out = String::from("x");
            push_short(&mut out, piece);
            assert_eq!(out, format!("x{piece}"));
            let mut out = String::from("é");
            push_opening(&mut out, piece);
            push_opening(&mut out, piece);
            assert_eq!(out, format!("é{piece}{piece}"));
        }
    }

    #[test]
    fn integers_are_written_as_itoa_writes_them() {
        let mut values: Vec<u64> = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            12_345,
            99_999_999,
            100_000_000,
            u64::MAX,
            u64::MAX - 1,
        ];
        for p in 0..20 {
            let power = 10u64.pow(p);
            values.extend([power - 1, power, power + 1, power.wrapping_mul(7) / 3]);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.extend([x, x >> (x % 64), x % 1_000_000]);
        }
        let mut out = String::new();
        for v in values {
            out.clear();
            push_u64(&mut out, v);
            assert_eq!(out, itoa::Buffer::new().format(v), "{v}");
            for signed in [
                v.cast_signed(),
                v.cast_signed().wrapping_neg(),
                i64::MIN,
                i64::MAX,
            ] {
                out.clear();
                push_i64(&mut out, signed);
                assert_eq!(out, itoa::Buffer::new().format(signed), "{signed}");
            }
        }
    }
}
