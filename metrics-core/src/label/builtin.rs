//! Ready-made label types every service needs, so nobody labels with raw request strings.

use super::LabelValue;

macro_rules! builtin_label {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl LabelValue for $name {
            const VALUES: &'static [&'static str] = &[$($text),+];
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            #[inline]
            fn index(self) -> usize {
                self as usize
            }
        }
    };
}

builtin_label! {
    /// Whether an operation succeeded: `success` or `failure`.
    Outcome {
        /// The operation succeeded.
        Success => "success",
        /// The operation failed.
        Failure => "failure",
    }
}

impl Outcome {
    /// `Success` for `Ok`, `Failure` for `Err`.
    pub fn of<T, E>(result: &Result<T, E>) -> Self {
        if result.is_ok() {
            Self::Success
        } else {
            Self::Failure
        }
    }
}

builtin_label! {
    /// An HTTP request method from a closed set; anything else is `other`, never the raw request string
    /// (an open method label exhausted memory in CVE-2022-21698).
    HttpMethod {
        /// `GET`
        Get => "GET",
        /// `HEAD`
        Head => "HEAD",
        /// `POST`
        Post => "POST",
        /// `PUT`
        Put => "PUT",
        /// `DELETE`
        Delete => "DELETE",
        /// `PATCH`
        Patch => "PATCH",
        /// `OPTIONS`
        Options => "OPTIONS",
        /// `CONNECT`
        Connect => "CONNECT",
        /// `TRACE`
        Trace => "TRACE",
        /// Any other method.
        Other => "other",
    }
}

impl HttpMethod {
    /// Maps a request method to the closed set: exact, case-sensitive standard names, else `Other`.
    ///
    /// ```
    /// use metrics_core::HttpMethod;
    /// assert_eq!(HttpMethod::from_method("GET"), HttpMethod::Get);
    /// assert_eq!(HttpMethod::from_method("BREW"), HttpMethod::Other);
    /// ```
    pub fn from_method(method: &str) -> Self {
        match method {
            "GET" => Self::Get,
            "HEAD" => Self::Head,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "DELETE" => Self::Delete,
            "PATCH" => Self::Patch,
            "OPTIONS" => Self::Options,
            "CONNECT" => Self::Connect,
            "TRACE" => Self::Trace,
            _ => Self::Other,
        }
    }
}

builtin_label! {
    /// The class of an HTTP status code: `1xx` to `5xx`.
    StatusClass {
        /// 100–199
        Informational => "1xx",
        /// 200–299
        Success => "2xx",
        /// 300–399
        Redirection => "3xx",
        /// 400–499
        ClientError => "4xx",
        /// 500–599, and any code outside 100–599 (a server that sends one is at fault).
        ServerError => "5xx",
    }
}

impl StatusClass {
    /// The class of a status code; codes outside 100–599 count as `5xx`.
    ///
    /// ```
    /// use metrics_core::{LabelValue, StatusClass};
    /// assert_eq!(StatusClass::from_code(404).as_str(), "4xx");
    /// assert_eq!(StatusClass::from_code(999), StatusClass::ServerError);
    /// ```
    pub fn from_code(code: u16) -> Self {
        match code {
            100..=199 => Self::Informational,
            200..=299 => Self::Success,
            300..=399 => Self::Redirection,
            400..=499 => Self::ClientError,
            _ => Self::ServerError,
        }
    }
}

builtin_label! {
    /// A direction of flow: `in` or `out` (tokens, bytes, messages).
    Direction {
        /// Inbound.
        In => "in",
        /// Outbound.
        Out => "out",
    }
}
