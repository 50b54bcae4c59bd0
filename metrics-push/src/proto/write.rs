//! Encoding: varints, fixed-width numbers and length-delimited (nested) fields into one buffer.

/// Appends protobuf fields to a buffer that is kept between exports.
///
/// A nested message is opened with [`Writer::open`] and closed with [`Writer::close`]: the length prefix is
/// reserved as one byte (most data points and attributes are shorter than 128 bytes) and the body is moved
/// right only when its length needs more.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

/// A nested message being written: where its body starts.
#[derive(Debug, Clone, Copy)]
#[must_use = "close the nested message"]
pub(crate) struct Open(usize);

const VARINT: u32 = 0;
const FIXED64: u32 = 1;
const LEN: u32 = 2;

impl Writer {
    /// Empties the buffer, keeping its capacity.
    pub(crate) fn clear(&mut self) {
        self.buf.clear();
    }

    /// How many bytes are written.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Drops everything written after the first `len` bytes (a message that turned out empty).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    /// The bytes written so far.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf
    }

    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.buf.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.buf.push(value as u8);
    }

    fn key(&mut self, field: u32, wire: u32) {
        self.varint(u64::from(field << 3 | wire));
    }

    /// A `uint64`/`int64`/`enum`/`bool` field (written even when zero: callers skip defaults themselves).
    pub(crate) fn uint(&mut self, field: u32, value: u64) {
        self.key(field, VARINT);
        self.varint(value);
    }

    /// A `fixed64` field.
    pub(crate) fn fixed64(&mut self, field: u32, value: u64) {
        self.key(field, FIXED64);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    /// An `sfixed64` field.
    pub(crate) fn sfixed64(&mut self, field: u32, value: i64) {
        self.key(field, FIXED64);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    /// A `double` field.
    pub(crate) fn double(&mut self, field: u32, value: f64) {
        self.key(field, FIXED64);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    /// A `string` (or `bytes`) field.
    pub(crate) fn string(&mut self, field: u32, value: &str) {
        self.key(field, LEN);
        self.varint(value.len() as u64);
        self.buf.extend_from_slice(value.as_bytes());
    }

    /// A packed `repeated fixed64` field.
    pub(crate) fn packed_fixed64(
        &mut self,
        field: u32,
        values: impl ExactSizeIterator<Item = u64>,
    ) {
        self.key(field, LEN);
        self.varint(values.len() as u64 * 8);
        for value in values {
            self.buf.extend_from_slice(&value.to_le_bytes());
        }
    }

    /// A packed `repeated double` field.
    pub(crate) fn packed_double(&mut self, field: u32, values: &[f64]) {
        self.key(field, LEN);
        self.varint(values.len() as u64 * 8);
        for value in values {
            self.buf.extend_from_slice(&value.to_le_bytes());
        }
    }

    /// Opens a nested message field.
    pub(crate) fn open(&mut self, field: u32) -> Open {
        self.key(field, LEN);
        self.buf.push(0);
        Open(self.buf.len())
    }

    /// Closes a nested message, writing its length.
    pub(crate) fn close(&mut self, open: Open) {
        let start = open.0;
        let len = self.buf.len() - start;
        if len < 0x80 {
            self.buf[start - 1] = len as u8;
            return;
        }
        let mut prefix = [0u8; 10];
        let mut n = 0;
        let mut value = len as u64;
        while value >= 0x80 {
            prefix[n] = (value as u8) | 0x80;
            value >>= 7;
            n += 1;
        }
        prefix[n] = value as u8;
        n += 1;
        // One byte was reserved; make room for the other n - 1 and move the body right.
        let extra = n - 1;
        self.buf.resize(self.buf.len() + extra, 0);
        self.buf.copy_within(start..start + len, start + extra);
        self.buf[start - 1..start - 1 + n].copy_from_slice(&prefix[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_nested_lengths_follow_the_wire_format() {
        let mut w = Writer::default();
        w.uint(1, 150);
        assert_eq!(w.bytes(), [0x08, 0x96, 0x01]);
        w.clear();
        let open = w.open(2);
        w.string(1, &"x".repeat(200));
        w.close(open);
        // Field 2, LEN, length 203 (= 0xCB 0x01), then field 1, LEN, length 200 (0xC8 0x01).
        assert_eq!(&w.bytes()[..6], [0x12, 0xCB, 0x01, 0x0A, 0xC8, 0x01]);
        assert_eq!(w.bytes().len(), 3 + 203);
    }
}
