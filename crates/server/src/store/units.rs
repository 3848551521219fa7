use api::{Unit, UnitId};
use sqlx::SqlitePool;

/// Every unit, in the department's order.
#[tracing::instrument(skip(db))]
pub async fn list(db: &SqlitePool) -> Result<Vec<Unit>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, unit_group FROM units ORDER BY sort_order, id")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, group)| Unit {
            id: UnitId(id),
            name,
            group,
        })
        .collect())
}
