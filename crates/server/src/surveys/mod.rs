//! Surveys (问卷) beyond storage: the results staff read and the exports they download, computed from
//! the stored responses (the bench times these on 10,000 responses).

pub mod export;
pub mod results;
