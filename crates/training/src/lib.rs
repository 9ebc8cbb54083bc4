#![doc = include_str!("../README.md")]

pub mod data;
pub mod embed;
pub mod eval;
pub mod metrics;
pub mod train;
