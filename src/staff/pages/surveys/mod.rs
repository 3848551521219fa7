//! 问卷 (surveys), the staff side: the list, the builder with its phone preview and publish settings,
//! and the live results.

mod builder;
mod draft;
mod list;
mod preview;
mod publish;
mod question;
mod results;

pub use builder::{NewSurvey, SurveyEditor};
pub use list::SurveyList;
pub use results::SurveyResultsPage;
