//! Appending the short pieces of a sample line without a `memcpy` call per piece.
//!
//! A line is a handful of pieces of a few bytes each (its opening, a label value, the digits). `String::push_str`
//! of a length the compiler does not know is a call into libc's `memcpy`, which for pieces this short costs more
//! in the call and its size dispatch than in copying: it was a third of a scrape's time. A copy whose length is a
//! constant compiles to a few register moves instead, so both helpers here turn a run-time length into one of a
//! few constants: [`push_short`] by matching on it, [`Padded`] by copying a fixed-size block and cutting it back.

/// Appends `text`, with the copy inlined for texts of up to 16 bytes (label values, digits).
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_short(out: &mut String, text: &str) {
    // Each arm is the same call, but in each the compiler knows the length, so it emits that copy in place.
    macro_rules! by_length {
        ($($n:literal)*) => {
            match text.len() {
                $($n => out.push_str(text),)*
                _ => out.push_str(text),
            }
        };
    }
    by_length!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

/// Every four-digit group, `0000` to `9999`, end to end: the digits of a number are copied from here.
static QUADS: &str = match std::str::from_utf8(&QUAD_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("digits are ASCII"),
};
static QUAD_BYTES: [u8; 40_000] = quads();

// Runs at compile time only.
#[allow(clippy::large_stack_arrays)]
const fn quads() -> [u8; 40_000] {
    let mut bytes = [0u8; 40_000];
    let mut i = 0;
    while i < 10_000 {
        bytes[4 * i] = b'0' + (i / 1000) as u8;
        bytes[4 * i + 1] = b'0' + (i / 100 % 10) as u8;
        bytes[4 * i + 2] = b'0' + (i / 10 % 10) as u8;
        bytes[4 * i + 3] = b'0' + (i % 10) as u8;
        i += 1;
    }
    bytes
}

/// Appends `v` in decimal.
///
/// The digits are copied four at a time from a table ([`QUADS`]) rather than formatted into a buffer and copied
/// from there (what `itoa` and a `push_str` do): that copy's wide loads read bytes the formatting had just stored
/// two at a time, which the CPU cannot forward from its store buffer, and the stall was a fifth of a scrape.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn push_u64(out: &mut String, v: u64) {
    const QUAD: u64 = 10_000;
    if v < QUAD {
        push_leading(out, v as usize);
    } else if v < QUAD * QUAD {
        push_leading(out, (v / QUAD) as usize);
        push_quad(out, (v % QUAD) as usize);
    } else {
        push_large(out, v);
    }
}

/// [`push_u64`] for the rare value of nine digits or more (at most five groups of four).
#[inline(never)]
fn push_large(out: &mut String, mut v: u64) {
    let mut groups = [0u16; 5];
    let mut count = 0;
    while v >= 10_000 {
        groups[count] = (v % 10_000) as u16;
        v /= 10_000;
        count += 1;
    }
    push_leading(out, v as usize);
    for group in groups[..count].iter().rev() {
        push_quad(out, usize::from(*group));
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

/// Appends the four digits of `group` (below 10,000), zeros included.
#[allow(clippy::inline_always)]
#[inline(always)]
fn push_quad(out: &mut String, group: usize) {
    if let Some(digits) = QUADS.get(4 * group..4 * group + 4) {
        out.push_str(digits);
    }
}

/// Appends `group` (below 10,000) without leading zeros; `0` for zero.
#[allow(clippy::inline_always)]
#[inline(always)]
fn push_leading(out: &mut String, group: usize) {
    let zeros = usize::from(group < 1000) + usize::from(group < 100) + usize::from(group < 10);
    if let Some(digits) = QUADS.get(4 * group + zeros..4 * group + 4) {
        push_short(out, digits);
    }
}

/// Bytes a [`Padded`] text is rounded up to.
const BLOCK: usize = 32;

/// A fixed text (a line's opening) stored padded with NUL bytes to a whole number of 32-byte blocks, so that
/// appending it is a copy of a constant size followed by cutting the padding off again.
#[derive(Debug)]
pub(crate) struct Padded {
    padded: Box<str>,
    len: usize,
}

impl Padded {
    pub(super) fn new(text: &str) -> Self {
        let mut padded = String::with_capacity(text.len().div_ceil(BLOCK).max(1) * BLOCK);
        padded.push_str(text);
        while !padded.len().is_multiple_of(BLOCK) || padded.is_empty() {
            padded.push('\0');
        }
        Self {
            padded: padded.into(),
            len: text.len(),
        }
    }

    /// The text, without its padding.
    #[cfg(test)]
    fn as_str(&self) -> &str {
        // Never fails: the text ends on a character boundary, the padding is NULs after it.
        self.padded.get(..self.len).unwrap_or_default()
    }

    /// Appends the text.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn push_to(&self, out: &mut String) {
        let end = out.len() + self.len;
        let padded = &*self.padded;
        // As in `push_short`: one arm per block count, each copying a constant size.
        #[allow(clippy::match_same_arms)]
        match padded.len() {
            BLOCK => out.push_str(padded),
            64 => out.push_str(padded),
            96 => out.push_str(padded),
            _ => out.push_str(padded),
        }
        out.truncate(end);
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
            let padded = Padded::new(piece);
            assert_eq!(padded.as_str(), piece);
            let mut out = String::from("é");
            padded.push_to(&mut out);
            padded.push_to(&mut out);
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

    #[test]
    fn a_padded_text_may_end_in_a_wide_character() {
        let text = "ab\u{10348}";
        let mut out = String::new();
        Padded::new(text).push_to(&mut out);
        assert_eq!(out, text);
    }
}
