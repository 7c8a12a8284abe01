//! The text conversions every validating newtype shares.

/// Implement `Display`, `FromStr`, `TryFrom<String>` and `From<T> for String`
/// for a type with `fn parse(&str) -> Result<Self>` and `fn as_str(&self)`.
macro_rules! text_newtype {
    ($ty:ty) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                <$ty>::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::Error;
            fn try_from(s: String) -> $crate::Result<Self> {
                <$ty>::parse(&s)
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.as_str().to_owned()
            }
        }
    };
}

pub(crate) use text_newtype;
