//! Decoding, for the small replies the exporter reads: partial success and gRPC status details.

/// One field of a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Field<'a> {
    /// A varint field.
    Varint(u64),
    /// A fixed 64-bit field.
    Fixed64(u64),
    /// A length-delimited field (string, bytes or nested message).
    Bytes(&'a [u8]),
    /// A fixed 32-bit field.
    Fixed32(u32),
}

/// Iterates the fields of one message; stops (returns `None`) at the end or at malformed input.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.buf.split_first()?;
            self.buf = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.buf.len() < n {
            return None;
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Some(head)
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = (u32, Field<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.is_empty() {
            return None;
        }
        let key = self.varint()?;
        let field = u32::try_from(key >> 3).ok()?;
        let value = match key & 7 {
            0 => Field::Varint(self.varint()?),
            1 => Field::Fixed64(u64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            2 => {
                let len = usize::try_from(self.varint()?).ok()?;
                Field::Bytes(self.take(len)?)
            }
            5 => Field::Fixed32(u32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            _ => {
                self.buf = &[];
                return None;
            }
        };
        Some((field, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::Writer;

    #[test]
    fn reads_back_what_the_writer_wrote() {
        let mut w = Writer::default();
        w.uint(1, 300);
        w.string(2, "rejected");
        w.double(3, 1.5);
        let fields: Vec<_> = Reader::new(w.bytes()).collect();
        assert_eq!(
            fields,
            [
                (1, Field::Varint(300)),
                (2, Field::Bytes(b"rejected")),
                (3, Field::Fixed64(1.5f64.to_bits())),
            ]
        );
    }

    #[test]
    fn truncated_input_ends_the_iteration() {
        assert_eq!(Reader::new(&[0x12, 0x05, b'a']).count(), 0);
    }
}
