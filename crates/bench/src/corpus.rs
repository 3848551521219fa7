//! A reproducible corpus of submissions for the staff-desk benchmark: realistic Chinese titles and bodies
//! (topics, problems and proposals of the kind district 建言 carry), spread over units, kinds, statuses,
//! 承办单位, due dates, flags and three years. A fixed seed makes every run the same data.

use anyhow::Context;
use jianyan_server::store::submissions::bigrams;
use sqlx::SqlitePool;

/// A small, fast, fixed-seed generator (xorshift64*): the same corpus on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TOPICS: [&str; 40] = [
    "老旧小区加装电梯",
    "学校周边交通拥堵",
    "社区居家养老服务",
    "生活垃圾分类",
    "农村饮水安全",
    "中小企业融资难",
    "优化营商环境",
    "城区停车难",
    "背街小巷改造",
    "公共文化服务供给",
    "优质医疗资源下沉",
    "职业教育产教融合",
    "河道综合治理",
    "智慧社区建设",
    "食品安全监管",
    "新就业形态劳动者权益保障",
    "电动自行车充电安全",
    "婴幼儿照护服务",
    "乡村振兴人才引进",
    "历史文化街区保护",
    "公共体育设施开放",
    "老年人数字鸿沟",
    "物业服务质量",
    "农贸市场提质改造",
    "地下管网更新",
    "城市内涝防治",
    "社区卫生服务中心建设",
    "民营企业账款拖欠",
    "科技成果转化",
    "青年人才住房保障",
    "预制菜产业发展",
    "快递包装回收",
    "校园心理健康教育",
    "残疾人就业帮扶",
    "农村养老互助",
    "夜间经济发展",
    "口袋公园建设",
    "公交线网优化",
    "非物质文化遗产传承",
    "基层减负",
];

const VERBS: [&str; 8] = [
    "加强", "完善", "推进", "优化", "加快", "规范", "破解", "健全",
];

const PROBLEMS: [&str; 12] = [
    "资金投入不足、统筹协调不够",
    "部门职责交叉、推进进度缓慢",
    "群众参与度不高、意见难以统一",
    "专业人才短缺、服务能力有限",
    "配套政策不完善、审批流程繁琐",
    "基础设施老化、安全隐患突出",
    "供需对接不畅、资源利用率低",
    "监管手段落后、执法力量薄弱",
    "区域发展不平衡、城乡差距明显",
    "宣传引导不到位、社会认知不足",
    "数据共享不充分、信息化水平不高",
    "长效机制缺失、问题反复出现",
];

const MEASURES: [&str; 12] = [
    "设立专项资金，实行以奖代补",
    "建立由分管领导牵头的联席会议制度",
    "简化审批流程，推行一窗受理、限时办结",
    "引入社会资本参与建设和运营",
    "开展试点，总结经验后全区推广",
    "将相关工作纳入年度绩效考核",
    "加强部门间数据共享，建设统一信息平台",
    "组织街道、社区和居民代表共同商议",
    "完善配套政策，明确各方权责",
    "加大宣传力度，提高群众知晓率和参与率",
    "建立常态化巡查和问题台账销号机制",
    "引进和培养专业人才队伍",
];

const PLACES: [&str; 8] = [
    "中原路街道",
    "建设路街道",
    "桐柏路街道",
    "三官庙街道",
    "绿东村街道",
    "林山寨街道",
    "须水街道",
    "秦岭路街道",
];

const HANDLERS: [&str; 12] = [
    "区住建局",
    "区教育局",
    "区民政局",
    "区卫健委",
    "区城管局",
    "区交通运输局",
    "区发改委",
    "区市场监管局",
    "区人社局",
    "区农业农村局",
    "区生态环境分局",
    "区文广旅局",
];

const NAMES: [&str; 16] = [
    "王建国",
    "李红",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴刚",
    "徐丽",
    "孙浩",
    "马丽",
    "朱军",
    "胡斌",
    "郭强",
];

/// Status shares out of 100, in the order of a submission's life.
const STATUSES: [(&str, usize); 9] = [
    ("submitted", 20),
    ("accepted", 15),
    ("returned", 5),
    ("declined", 3),
    ("merged", 2),
    ("assigned", 15),
    ("in_progress", 15),
    ("replied", 15),
    ("closed", 10),
];

/// The 4-character search the benchmark runs: one topic word, in ~1/40 of the rows and in others' bodies.
pub const SEARCH: &str = "加装电梯";

fn title(rng: &mut Rng, topic: &str) -> String {
    match rng.below(4) {
        0 => format!("关于{}{}的建议", rng.pick(&VERBS), topic),
        1 => format!("关于{}工作的几点建议", topic),
        2 => format!("{}{}问题亟待解决", rng.pick(&PLACES), topic),
        _ => format!("进一步{}{}的对策建议", rng.pick(&VERBS), topic),
    }
}

fn body(rng: &mut Rng, topic: &str) -> String {
    let mut text = format!(
        "近年来，我区在{topic}方面做了大量工作，取得了一定成效。但经过调研发现，目前仍存在{}等问题，\
         特别是{}一带，群众反映较为集中。",
        rng.pick(&PROBLEMS),
        rng.pick(&PLACES)
    );
    for n in 0..2 + rng.below(5) {
        text.push_str(&format!(
            "{}是{}，{}。",
            ["一", "二", "三", "四", "五", "六", "七"][n],
            rng.pick(&MEASURES),
            rng.pick(&PROBLEMS).replace('、', "和")
        ));
    }
    if rng.below(3) == 0 {
        let other = rng.pick(&TOPICS);
        text.push_str(&format!(
            "同时，建议将{topic}与{other}统筹考虑，形成工作合力。"
        ));
    }
    text
}

/// One row of the corpus, as the INSERT reads it.
#[derive(serde::Serialize)]
struct Row {
    id: i64,
    year: i32,
    kind: &'static str,
    title: String,
    body: String,
    unit_id: i64,
    name: &'static str,
    status: &'static str,
    submitted_at: String,
    updated_at: String,
    handler: Option<&'static str>,
    due_on: Option<String>,
    flag_key: bool,
    flag_excellent: bool,
    /// Its words in the server's short-term search index, as the server writes them.
    grams: String,
}

/// Days from 2024-01-01 to a `YYYY-MM-DD` date (2024–2026, month lengths of those years).
fn date(day: usize) -> (i32, String) {
    let mut remaining = day;
    for year in 2024..=2026 {
        let leap = year == 2024;
        let months = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        for (month, length) in months.iter().enumerate() {
            if remaining < *length {
                return (
                    year,
                    format!("{year}-{:02}-{:02}", month + 1, remaining + 1),
                );
            }
            remaining -= length;
        }
    }
    (2026, "2026-12-31".into())
}

/// Fills the (migrated, empty) database with `rows` submissions, numbered 1…, oldest first.
pub async fn fill(db: &SqlitePool, rows: usize) -> anyhow::Result<()> {
    let mut rng = Rng::new(20_261_127);
    let days = 365 * 3 - 40; // up to late November 2026
    let mut batch = Vec::with_capacity(2_000);
    let mut written = 0usize;
    while written < rows {
        batch.clear();
        for _ in 0..2_000.min(rows - written) {
            let n = written + batch.len();
            let topic = TOPICS[rng.below(TOPICS.len())];
            let day = n * days / rows.max(1);
            let (year, on) = date(day);
            let mut share = rng.below(100);
            let status = STATUSES
                .iter()
                .find(|(_, part)| {
                    let inside = share < *part;
                    share = share.saturating_sub(*part);
                    inside
                })
                .map_or("submitted", |(status, _)| status);
            let handled = matches!(status, "assigned" | "in_progress" | "replied" | "closed");
            let (_, due) = date(day + 90);
            let hour = 8 + rng.below(10);
            // Drawn in the order the fields were before the index existed: the same corpus as then.
            let kind = [
                "suggestion",
                "suggestion",
                "research_report",
                "public_opinion",
            ][rng.below(4)];
            let (title, body) = (title(&mut rng, topic), body(&mut rng, topic));
            let grams = bigrams::grams(&title, &body);
            batch.push(Row {
                id: i64::try_from(n + 1).context("too many rows")?,
                year,
                kind,
                title,
                body,
                unit_id: 1 + rng.below(11) as i64,
                name: rng.pick(&NAMES),
                status,
                submitted_at: format!("{on}T{hour:02}:{:02}:00+08:00", rng.below(60)),
                updated_at: format!("{}T{hour:02}:30:00+08:00", date(day + rng.below(20)).1),
                handler: handled.then(|| rng.pick(&HANDLERS)),
                due_on: handled.then_some(due),
                flag_key: rng.below(20) == 0,
                flag_excellent: rng.below(50) == 0,
                grams,
            });
        }
        let json = serde_json::to_string(&batch).context("encoding a batch")?;
        let mut tx = db.begin().await.context("a corpus transaction")?;
        sqlx::query(
            "INSERT INTO submissions
                 (id, year, kind, title, body, unit_id, name, phone, secret_hash, status,
                  submitted_at, updated_at, handler, due_on, flag_key, flag_excellent)
             SELECT value ->> 'id', value ->> 'year', value ->> 'kind', value ->> 'title',
                    value ->> 'body', value ->> 'unit_id', value ->> 'name', '13812345678', 'bench',
                    value ->> 'status', value ->> 'submitted_at', value ->> 'updated_at',
                    value ->> 'handler', value ->> 'due_on', value ->> 'flag_key',
                    value ->> 'flag_excellent'
             FROM json_each(?1);
             INSERT INTO submission_events (submission_id, status, at, kind)
             SELECT value ->> 'id', 'submitted', value ->> 'submitted_at', 'status'
             FROM json_each(?1);
             INSERT INTO submissions_bigrams (rowid, grams)
             SELECT value ->> 'id', value ->> 'grams' FROM json_each(?1);
             UPDATE submission_numbers SET last = MAX(last, (SELECT MAX(value ->> 'id') FROM json_each(?1)));",
        )
        .bind(json)
        .execute(&mut *tx)
        .await
        .context("inserting corpus rows")?;
        tx.commit().await.context("committing corpus rows")?;
        written += batch.len();
    }
    sqlx::query("ANALYZE")
        .execute(db)
        .await
        .context("ANALYZE")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_the_same_on_every_run_and_reads_as_chinese_prose() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let (ta, tb) = (title(&mut a, TOPICS[0]), title(&mut b, TOPICS[0]));
        assert_eq!(ta, tb);
        let text = body(&mut a, TOPICS[0]);
        assert!(text.chars().count() > 80, "{text}");
        assert!(text.contains(TOPICS[0]));
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(date(0), (2024, "2024-01-01".into()));
        assert_eq!(date(59), (2024, "2024-02-29".into()));
        assert_eq!(date(366), (2025, "2025-01-01".into()));
    }
}
