//! Floats in JSON without loss: JSON has no NaN or infinities, and `serde_json` would
//! write them as `null`, which reads back as an error. Finite values stay numbers;
//! the others become strings that keep every bit: `"inf"`, `"-inf"` and
//! `"nan:0x7fc00000"` (the NaN's bit pattern, sign and payload included), so a decoded
//! packet re-encodes to the same bytes whatever its floats hold.
//!
//! Used as `#[serde(with = "crate::serde_float")]` on the wire's float fields.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use std::fmt;

/// A float the wire carries: `f32` or `f64`.
pub(crate) trait WireFloat: Copy {
    const NAME: &'static str;
    fn is_finite(self) -> bool;
    fn is_nan(self) -> bool;
    fn is_sign_negative(self) -> bool;
    fn bits_hex(self) -> String;
    fn from_bits_hex(hex: &str) -> Option<Self>;
    fn infinity(negative: bool) -> Self;
    fn from_f64(value: f64) -> Self;
    fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

macro_rules! wire_float {
    ($ty:ty, $bits:ty, $width:literal, $serialize:ident) => {
        impl WireFloat for $ty {
            const NAME: &'static str = stringify!($ty);
            fn is_finite(self) -> bool {
                <$ty>::is_finite(self)
            }
            fn is_nan(self) -> bool {
                <$ty>::is_nan(self)
            }
            fn is_sign_negative(self) -> bool {
                <$ty>::is_sign_negative(self)
            }
            fn bits_hex(self) -> String {
                format!(concat!("{:0", $width, "x}"), self.to_bits())
            }
            fn from_bits_hex(hex: &str) -> Option<Self> {
                // Exactly the full width, so one NaN has one spelling.
                if hex.len() != $width {
                    return None;
                }
                <$bits>::from_str_radix(hex, 16).ok().map(<$ty>::from_bits).filter(|v| v.is_nan())
            }
            fn infinity(negative: bool) -> Self {
                if negative { <$ty>::NEG_INFINITY } else { <$ty>::INFINITY }
            }
            #[allow(clippy::cast_possible_truncation)]
            fn from_f64(value: f64) -> Self {
                // JSON numbers arrive as f64; an f32 written by `serialize_f32` (its
                // shortest round-trip form) comes back to the same f32.
                value as $ty
            }
            fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.$serialize(self)
            }
        }
    };
}

wire_float!(f32, u32, 8, serialize_f32);
wire_float!(f64, u64, 16, serialize_f64);

pub(crate) fn serialize<T: WireFloat, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let value = *value;
    if value.is_finite() {
        value.serialize_number(serializer)
    } else if value.is_nan() {
        serializer.collect_str(&format_args!("nan:0x{}", value.bits_hex()))
    } else if value.is_sign_negative() {
        serializer.serialize_str("-inf")
    } else {
        serializer.serialize_str("inf")
    }
}

pub(crate) fn deserialize<'de, T: WireFloat, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct FloatVisitor<T>(std::marker::PhantomData<T>);

    impl<T: WireFloat> Visitor<'_> for FloatVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an {} as a number, \"inf\", \"-inf\" or \"nan:0x<bits>\"", T::NAME)
        }

        #[allow(clippy::cast_precision_loss)]
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            Ok(T::from_f64(value as f64))
        }

        #[allow(clippy::cast_precision_loss)]
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            Ok(T::from_f64(value as f64))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
            Ok(T::from_f64(value))
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            match text {
                "inf" => Ok(T::infinity(false)),
                "-inf" => Ok(T::infinity(true)),
                _ => text
                    .strip_prefix("nan:0x")
                    .and_then(T::from_bits_hex)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self)),
            }
        }
    }

    deserializer.deserialize_any(FloatVisitor(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Pair {
        #[serde(with = "super")]
        single: f32,
        #[serde(with = "super")]
        double: f64,
    }

    fn round_trip(single: f32, double: f64) -> (String, Pair) {
        let json = serde_json::to_string(&Pair { single, double }).unwrap();
        let back = serde_json::from_str(&json).unwrap();
        (json, back)
    }

    #[test]
    fn finite_values_stay_numbers() {
        let (json, back) = round_trip(0.1, -0.0);
        assert_eq!(json, r#"{"single":0.1,"double":-0.0}"#);
        assert_eq!((back.single.to_bits(), back.double.to_bits()), (0.1f32.to_bits(), (-0.0f64).to_bits()));
    }

    #[test]
    fn every_f32_bit_pattern_class_survives() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let single = f32::from_bits(state as u32);
            let double = f64::from_bits(state.rotate_left(17));
            let (json, back) = round_trip(single, double);
            assert_eq!(back.single.to_bits(), single.to_bits(), "{json}");
            assert_eq!(back.double.to_bits(), double.to_bits(), "{json}");
        }
    }

    #[test]
    fn non_finite_values_are_named_strings() {
        let nan = f32::from_bits(0xffc0_0001);
        let (json, back) = round_trip(nan, f64::NEG_INFINITY);
        assert_eq!(json, r#"{"single":"nan:0xffc00001","double":"-inf"}"#);
        assert_eq!((back.single.to_bits(), back.double), (0xffc0_0001, f64::NEG_INFINITY));
        for bad in [r#""nan:0x7fc0""#, r#""nan:0x3f800000""#, r#""NaN""#, "null"] {
            let json = format!(r#"{{"single":{bad},"double":1}}"#);
            assert!(serde_json::from_str::<Pair>(&json).is_err(), "{json}");
        }
    }
}
