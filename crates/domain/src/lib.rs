//! Pure rules of the cnscd registry. Nothing here knows about HTTP, SQL or files: every entry path (web form,
//! JSON API, CLI, Excel import) calls these functions, so they can never disagree on what is valid.

pub mod account;
pub mod clock;
pub mod collation;
pub mod date;
pub mod decision;
pub mod errors;
pub mod import_plan;
pub mod legacy;
pub mod library;
pub mod member;
pub mod official;
pub mod person_name;
pub mod phone;
pub mod public;
pub mod role;
pub mod roster;
pub mod roster_changes;
pub mod round;
pub mod rules;
pub mod team;
pub mod text;
pub mod tone;
pub mod training;
pub mod unit;

pub use errors::{FieldError, ValidationErrors};
