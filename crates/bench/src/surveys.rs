//! `make bench-surveys` (and part of `make bench`): 10,000 responses to a 20-question survey (every kind
//! of question, skip logic, 其他 texts), answered by members of every unit. Times, through the release
//! server: the results page (every chart, responses per day, response rate per unit), every question's
//! breakdown by unit, and the CSV and XLSX exports; and, in-process, the computation alone.

use std::{path::Path, sync::Arc, time::Duration, time::Instant};

use anyhow::Context;
use api::survey::{
    Answer, AnswerValue, Audience, ChoiceOption, OptionId, PublishSettings, Question, QuestionId,
    QuestionKind, ShowIf, SurveyDefinition,
};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{header, Method, Request, StatusCode};
use jianyan_server::{
    store::{audit::Actor, surveys},
    surveys::{export, results},
};

use crate::{
    load::{closed_loop, MakeRequest, Run},
    report::Row,
    server::Server,
};

/// Responses in the data set.
pub const RESPONSES: usize = 10_000;
/// Questions in the survey.
const QUESTIONS: u32 = 20;
/// Requests per scenario, one at a time (a results page is one person).
const REQUESTS: usize = 20;

/// Twenty questions: 6 single choice, 4 multiple choice (one with 其他), 4 ratings, 2 numbers, 2 short
/// and 2 long texts; question 8 is shown only when question 1 has its first option.
pub fn definition() -> SurveyDefinition {
    let options = |n: u32| -> Vec<ChoiceOption> {
        (1..=n)
            .map(|id| ChoiceOption {
                id: OptionId(id),
                label: format!("选项{id}"),
            })
            .collect()
    };
    let questions = (1..=QUESTIONS)
        .map(|id| {
            let kind = match id {
                1..=6 => QuestionKind::SingleChoice {
                    options: options(2 + id % 4),
                    other: id == 6,
                },
                7..=10 => QuestionKind::MultipleChoice {
                    options: options(6),
                    other: id == 10,
                    min: Some(1),
                    max: Some(4),
                },
                11..=14 => QuestionKind::Rating,
                15..=16 => QuestionKind::Number {
                    min: Some(0.0),
                    max: Some(1000.0),
                    integer: false,
                },
                17..=18 => QuestionKind::ShortText,
                _ => QuestionKind::LongText,
            };
            Question {
                id: QuestionId(id),
                title: format!("第{id}题：关于本年度工作的看法"),
                help: String::new(),
                required: id <= 6,
                kind,
                show_if: (id == 8).then(|| ShowIf {
                    question: QuestionId(1),
                    any_of: vec![OptionId(1)],
                }),
            }
        })
        .collect();
    SurveyDefinition {
        title: "基准：年度工作评价".into(),
        intro: "二十道题".into(),
        questions,
    }
}

/// Response `i`'s answers, varied by a small fixed-seed generator; checked by the shared rules.
fn answers(definition: &SurveyDefinition, i: usize) -> anyhow::Result<Vec<Answer>> {
    let mut seed = (i as u64).wrapping_mul(6_364_136_223_846_793_005) ^ 0x9E37_79B9;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut out: Vec<Answer> = Vec::new();
    for question in &definition.questions {
        let value = match &question.kind {
            QuestionKind::SingleChoice { options, .. } => AnswerValue::Choice {
                options: vec![options[next(options.len() as u64) as usize].id],
                other: None,
            },
            QuestionKind::MultipleChoice { options, other, .. } => {
                let mut picked: Vec<OptionId> = options
                    .iter()
                    .filter(|_| next(3) == 0)
                    .map(|o| o.id)
                    .take(3)
                    .collect();
                if picked.is_empty() {
                    picked.push(options[0].id);
                }
                AnswerValue::Choice {
                    options: picked,
                    other: (*other && next(5) == 0).then(|| format!("其他意见{i}")),
                }
            }
            QuestionKind::Rating => AnswerValue::Rating {
                value: 1 + next(5) as u8,
            },
            QuestionKind::Number { .. } => AnswerValue::Number {
                value: next(1000) as f64 / 2.0,
            },
            QuestionKind::ShortText => AnswerValue::Text {
                value: format!("街道{}", next(40)),
            },
            QuestionKind::LongText => AnswerValue::Text {
                value: format!("建议加强老旧小区加装电梯的统筹，第{i}份答卷的意见。"),
            },
        };
        out.push(Answer {
            question: question.id,
            value,
        });
    }
    // Question 8 only when question 1 has its first option.
    let shown = api::survey::visible_questions(definition, &out);
    out.retain(|a| shown.contains(&a.question));
    api::survey::validate_response(definition, &out)
        .map_err(|errors| anyhow::anyhow!("a generated response breaks the rules: {errors:?}"))
}

/// Fills `db` with the survey, one member per response (all units), and the responses; returns the
/// survey's id.
async fn fill(db: &Path) -> anyhow::Result<i64> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let pool = jianyan_server::store::open(db).await?;
    let definition = definition();
    let now = "2026-11-30T09:00:00+08:00";
    let id = surveys::create(&pool, &definition, now, Actor::CONSOLE)
        .await
        .map_err(|e| anyhow::anyhow!("creating the survey: {e:?}"))?;
    let settings = PublishSettings {
        opens_at: "2026-12-01T09:00:00+08:00".into(),
        closes_at: "2026-12-31T18:00:00+08:00".into(),
        audience: Audience::AllUnits,
        anonymous: false,
        editable_until_close: false,
    };
    surveys::publish(&pool, id, &settings, now, Actor::CONSOLE)
        .await
        .map_err(|e| anyhow::anyhow!("publishing the survey: {e:?}"))?;
    let units: Vec<i64> = sqlx::query_scalar("SELECT id FROM units ORDER BY id")
        .fetch_all(&pool)
        .await?;
    anyhow::ensure!(!units.is_empty(), "the database has no units");
    let mut tx = pool.begin().await?;
    for i in 0..RESPONSES {
        let unit = units[i % units.len()];
        let member: i64 = sqlx::query_scalar(
            "INSERT INTO members (name, unit_id, phone, is_contact, created_at, updated_at)
             VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
        )
        .bind(format!("成员{i}"))
        .bind(unit)
        .bind(format!("139{i:08}"))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO survey_respondents VALUES (?, ?, ?)")
            .bind(id.0)
            .bind(format!("m:{member}"))
            .bind(format!("bench{i}"))
            .execute(&mut *tx)
            .await?;
        let at = format!(
            "2026-12-{:02}T{:02}:{:02}:00+08:00",
            1 + i % 28,
            8 + i % 12,
            i % 60
        );
        sqlx::query("INSERT INTO survey_responses VALUES (?, ?, ?, ?, ?, ?)")
            .bind(format!("{i:032x}"))
            .bind(id.0)
            .bind(member)
            .bind(unit)
            .bind(at)
            .bind(serde_json::to_string(&answers(&definition, i)?)?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await.context("committing the responses")?;
    pool.close().await;
    Ok(id.0)
}

fn get_run(server: &Server, paths: Vec<String>, cookie: &str, requests: usize) -> Run {
    let cookie = cookie.to_owned();
    let make: MakeRequest = Arc::new(move |i| {
        Request::builder()
            .method(Method::GET)
            .uri(paths[i % paths.len()].as_str())
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, &cookie)
            .body(Full::new(Bytes::new()))
            .context("a staff GET request")
    });
    Run {
        addr: server.addr,
        connections: 1,
        requests,
        expect: StatusCode::OK,
        make,
    }
}

/// What the survey scenarios found.
pub struct SurveyResults {
    pub rows: Vec<Row>,
    pub fill_seconds: f64,
    /// In-process, no HTTP and no SQLite: compute every chart and all 20 breakdowns, CSV, XLSX (ms,
    /// the median of 5).
    pub compute_ms: (f64, f64, f64),
}

fn median_ms(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

/// Fills `db` and runs the survey scenarios against `binary`.
pub async fn run(binary: &Path, db: &Path) -> anyhow::Result<SurveyResults> {
    eprintln!(
        "surveys: filling {} with {RESPONSES} responses…",
        db.display()
    );
    let started = Instant::now();
    let id = fill(db).await?;
    let fill_seconds = started.elapsed().as_secs_f64();

    eprintln!("surveys: computing in-process…");
    let pool = jianyan_server::store::open(db).await?;
    let survey = surveys::get(&pool, api::survey::SurveyId(id))
        .await?
        .context("the survey is there")?;
    let rows = surveys::responses::all(&pool, survey.id).await?;
    let units = surveys::responses::unit_rosters(&pool, None).await?;
    pool.close().await;
    anyhow::ensure!(rows.len() == RESPONSES, "{} responses stored", rows.len());
    let definition = &survey.definition;
    let charts = median_ms(|| {
        let computed = results::compute(
            survey.id,
            api::survey::SurveyStatus::Collecting,
            false,
            definition,
            &rows,
            &units,
        );
        anyhow::ensure!(computed.responses == RESPONSES as u64);
        for question in &definition.questions {
            results::breakdown(definition, question.id, &rows).context("a breakdown")?;
        }
        Ok(())
    })?;
    let csv = median_ms(|| {
        anyhow::ensure!(!export::csv(definition, false, &rows).is_empty());
        Ok(())
    })?;
    let xlsx = median_ms(|| export::workbook(definition, false, &rows).map(|_| ()))?;

    crate::add_staff(db).await?;
    let server = Server::start(binary, db)?;
    let cookie = crate::staff_cookie(&server).await?;
    let breakdowns: Vec<String> = (1..=QUESTIONS)
        .map(|q| format!("/api/staff/surveys/{id}/results/breakdown?question={q}"))
        .collect();
    let scenarios = [
        (
            "GET …/results: every chart, per day, per unit".to_owned(),
            vec![format!("/api/staff/surveys/{id}/results")],
            REQUESTS,
            "p99 ≤ 500 ms",
        ),
        (
            "GET …/results/breakdown, each of the 20 questions".to_owned(),
            breakdowns,
            QUESTIONS as usize * 2,
            "p99 ≤ 500 ms",
        ),
        (
            format!("GET …/export.csv ({RESPONSES} rows)"),
            vec![format!("/api/staff/surveys/{id}/export.csv")],
            5,
            "— (a download)",
        ),
        (
            format!("GET …/export.xlsx ({RESPONSES} rows)"),
            vec![format!("/api/staff/surveys/{id}/export.xlsx")],
            5,
            "— (a download)",
        ),
    ];
    let mut out = Vec::new();
    for (name, paths, requests, target) in scenarios {
        eprintln!("surveys: {name}…");
        let outcome = closed_loop(
            get_run(&server, paths, &cookie, requests),
            Duration::from_secs(300),
        )
        .await?;
        out.push(Row {
            scenario: format!("survey, 20 questions × {RESPONSES} responses: {name}"),
            load: format!("1 connection, {requests} in a row"),
            outcome,
            target: target.into(),
        });
    }
    server.stop()?;
    Ok(SurveyResults {
        rows: out,
        fill_seconds,
        compute_ms: (charts, csv, xlsx),
    })
}
