//! Reporting rounds through the API: the arithmetic of completeness at its edges (the deadline to the second,
//! a correction after the deadline, an extension, a commune added after opening, an empty round), the states
//! a report moves through, and what each refusal says.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use cnscd_store::{AuditFilter, ObjectKind, PageRequest};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

const DEADLINE: &str = "2025-07-15T17:00:00+07:00";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Response {
    client
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn json_of(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, expected, "{body}");
    body
}

/// Every default indicator answered with `value`.
fn all_figures(value: i64) -> Value {
    Value::Object(
        INDICATORS
            .iter()
            .map(|c| (c.to_string(), json!(value)))
            .collect(),
    )
}

struct Round {
    app: TestApp,
    clock: Clock,
    id: i64,
    officer: Client,
}

impl Round {
    async fn open() -> Self {
        let clock = Clock::manual(at("2025-07-10T08:00:00+07:00"));
        let app = spawn_app_with_clock(Default::default(), clock.clone()).await;
        app.add_user("officer", "commune_officer", Some(XUAN_BINH))
            .await;
        let officer = app.token_client_for("officer").await;
        let round = json_of(
            send(
                &app.client,
                &app,
                reqwest::Method::POST,
                "/api/v1/rounds",
                json!({"title": "Báo cáo kết quả hoạt động quý III/2025", "deadline": DEADLINE,
                       "basis": "Công văn số 1234/SKHCN-CĐS ngày 10/7/2025", "kind": "quarterly",
                       "period_start": "01/07/2025", "period_end": "30/09/2025"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        Self {
            id: round["id"].as_i64().unwrap(),
            app,
            clock,
            officer,
        }
    }

    fn report_path(&self, commune: &str) -> String {
        format!("/api/v1/rounds/{}/reports/{commune}", self.id)
    }

    async fn save(&self, client: &Client, commune: &str, body: Value) -> Response {
        send(
            client,
            &self.app,
            reqwest::Method::PUT,
            &self.report_path(commune),
            body,
        )
        .await
    }

    async fn act(&self, client: &Client, commune: &str, action: &str, body: Value) -> Response {
        let path = format!("{}/{action}", self.report_path(commune));
        send(client, &self.app, reqwest::Method::POST, &path, body).await
    }

    /// Saves every figure and submits, as `client`, at the clock's time.
    async fn fill_and_submit(&self, client: &Client, commune: &str) -> Value {
        let saved = json_of(
            self.save(
                client,
                commune,
                json!({"figures": all_figures(3), "narrative": {"results": "Tốt"}}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        json_of(
            self.act(
                client,
                commune,
                "submit",
                json!({"version": saved["version"]}),
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    async fn status(&self) -> Value {
        let path = format!("/api/v1/rounds/{}/status", self.id);
        json_of(
            self.app
                .client
                .get(self.app.url(&path))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    }

    async fn figures(&self) -> Value {
        let path = format!("/api/v1/rounds/{}/figures", self.id);
        json_of(
            self.app
                .client
                .get(self.app.url(&path))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    }
}

fn total(figures: &Value, code: &str) -> (i64, i64) {
    let indicator = figures["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap();
    (
        indicator["total"].as_i64().unwrap(),
        indicator["communes"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_round_expects_every_commune_and_judges_the_deadline_to_the_second() {
    let r = Round::open().await;
    let round: Value = json_of(
        r.officer
            .get(r.app.url(&format!("/api/v1/rounds/{}", r.id)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    // Thanh Hóa has 166 communes; all are expected, with the default eight indicators.
    assert_eq!(round["expected"], 166);
    assert_eq!(round["deadline"], DEADLINE);
    assert_eq!(round["indicators"].as_array().unwrap().len(), 8);
    let empty = r.status().await;
    assert_eq!(
        (
            empty["expected"].as_i64(),
            empty["submitted"].as_i64(),
            empty["missing"].as_i64()
        ),
        (Some(166), Some(0), Some(166))
    );
    assert_eq!(empty["reporting_rate"], 0.0);
    let no_figures = r.figures().await;
    assert_eq!(total(&no_figures, "sessions_held"), (0, 0));

    // The officer submits at the deadline's very second: on time.
    r.clock.set(at(DEADLINE));
    let own = r.fill_and_submit(&r.officer, XUAN_BINH).await;
    assert_eq!(own["state"], "submitted");
    assert_eq!(own["on_time"], true);
    assert_eq!(own["on_behalf"], false);
    // The Department enters a paper report one second later: late, and marked as entered for the commune.
    r.clock.set(at("2025-07-15T17:00:01+07:00"));
    let paper = r.fill_and_submit(&r.app.client, HAC_THANH).await;
    assert_eq!(paper["on_time"], false);
    assert_eq!(paper["on_behalf"], true);

    let status = r.status().await;
    let counts: Vec<i64> = [
        "expected",
        "submitted",
        "on_time",
        "late",
        "missing",
        "returned",
        "accepted",
    ]
    .iter()
    .map(|k| status[k].as_i64().unwrap())
    .collect();
    assert_eq!(counts, vec![166, 2, 1, 1, 164, 0, 0]);
    assert_eq!(status["reporting_rate"], 1.2);
    assert_eq!(status["on_time_rate"], 0.6);
    assert_eq!(total(&r.figures().await, "public_services"), (6, 2));
    // The figures page says which report the Department entered from paper.
    let page = r
        .app
        .client
        .get(r.app.url(&format!("/rounds/{}/figures", r.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let paper_row = page
        .split("<tr")
        .find(|row| row.contains("Phường Hạc Thành"))
        .unwrap();
    assert!(paper_row.contains("(Sở nhập thay)"), "{paper_row}");
    let own_row = page
        .split("<tr")
        .find(|row| row.contains("Xã Xuân Bình"))
        .unwrap();
    assert!(!own_row.contains("(Sở nhập thay)"));

    // The board names each commune's state and officer.
    let board: Value = json_of(
        r.app
            .client
            .get(r.app.url(&format!("/api/v1/rounds/{}/board", r.id)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let xuan_binh = board
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["commune_code"] == XUAN_BINH)
        .unwrap();
    assert_eq!(xuan_binh["state"], "submitted");
    assert!(xuan_binh["officer_name"].is_string());
}

#[tokio::test]
async fn a_correction_after_the_deadline_keeps_the_first_submission_on_time() {
    let r = Round::open().await;
    r.fill_and_submit(&r.officer, XUAN_BINH).await;
    // Submitted: no more editing by the commune.
    let locked = r
        .save(
            &r.officer,
            XUAN_BINH,
            json!({"figures": {"sessions_held": 9}}),
        )
        .await;
    assert_eq!(locked.status(), StatusCode::CONFLICT);
    // The officer cannot review her own report; the Department must say why it returns it.
    let by_officer = r.act(&r.officer, XUAN_BINH, "accept", json!({})).await;
    assert_eq!(by_officer.status(), StatusCode::FORBIDDEN);
    let no_reason = r
        .act(&r.app.client, XUAN_BINH, "return", json!({"reason": "  "}))
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let returned = json_of(
        r.act(
            &r.app.client,
            XUAN_BINH,
            "return",
            json!({"reason": "Thiếu số liệu thanh toán"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(returned["state"], "returned");
    // The commune sees the reason at once; its figures are left out of the totals meanwhile.
    let seen = json_of(
        r.officer
            .get(r.app.url(&r.report_path(XUAN_BINH)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["return_reason"], "Thiếu số liệu thanh toán");
    let figures = r.figures().await;
    assert_eq!(total(&figures, "sessions_held"), (0, 0));
    assert_eq!(figures["left_out_returned"], 1);
    assert_eq!(r.status().await["returned"], 1);

    // Corrected and submitted again two days after the deadline.
    r.clock.set(at("2025-07-17T09:00:00+07:00"));
    let mut figures = all_figures(3);
    figures["sessions_held"] = json!(5);
    let corrected = json_of(
        r.save(
            &r.officer,
            XUAN_BINH,
            json!({"figures": figures, "narrative": {"results": "Đã sửa số buổi."}, "version": seen["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        corrected["state"], "returned",
        "saved, not yet submitted again"
    );
    let again = json_of(
        r.act(&r.officer, XUAN_BINH, "submit", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["submissions"], 2);
    assert_eq!(again["on_time"], true);
    assert_eq!(again["first_submitted_at"], seen["first_submitted_at"]);
    let status = r.status().await;
    assert_eq!(
        (status["on_time"].as_i64(), status["late"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(total(&r.figures().await, "sessions_held"), (5, 1));

    let accepted = json_of(
        r.act(&r.app.client, XUAN_BINH, "accept", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["state"], "accepted");
    assert_eq!(r.status().await["accepted_rate"], 0.6);
    let edit_accepted = r
        .save(
            &r.officer,
            XUAN_BINH,
            json!({"figures": {"sessions_held": 1}}),
        )
        .await;
    assert_eq!(edit_accepted.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_extension_moves_what_counts_as_on_time_and_is_kept() {
    let r = Round::open().await;
    r.clock.set(at("2025-07-16T08:00:00+07:00"));
    r.fill_and_submit(&r.officer, XUAN_BINH).await;
    assert_eq!(r.status().await["late"], 1);
    let path = format!("/api/v1/rounds/{}/extend", r.id);
    let earlier = send(
        &r.app.client,
        &r.app,
        reqwest::Method::POST,
        &path,
        json!({"deadline": "14/07/2025 17:00"}),
    )
    .await;
    assert_eq!(earlier.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let extended = json_of(
        send(
            &r.app.client,
            &r.app,
            reqwest::Method::POST,
            &path,
            json!({"deadline": "20/07/2025 17:00", "reason": "Nhiều xã xin thêm thời gian"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(extended["deadline"], "2025-07-20T17:00:00+07:00");
    let status = r.status().await;
    assert_eq!(
        (status["on_time"].as_i64(), status["late"].as_i64()),
        (Some(1), Some(0))
    );
    let history = r.app.store.round_deadlines(r.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].reason, "Nhiều xã xin thêm thời gian");
    // The questions no longer change once a report is in.
    let edit = send(
        &r.app.client,
        &r.app,
        reqwest::Method::PUT,
        &format!("/api/v1/rounds/{}", r.id),
        json!({"title": "Khác", "deadline": "2025-08-01T17:00:00+07:00", "version": extended["version"]}),
    )
    .await;
    assert_eq!(edit.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_commune_added_after_opening_is_not_expected_by_that_round() {
    use sqlx::Connection;
    let r = Round::open().await;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&r.app.database_url)
        .await
        .unwrap();
    sqlx::query("INSERT INTO communes (code, province_code, name, kind, sort_key) VALUES ('99999', '38', 'Xã Mới Lập', 'xã', 'xa moi lap')")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(r.status().await["expected"], 166);
    let later = json_of(
        send(
            &r.app.client,
            &r.app,
            reqwest::Method::POST,
            "/api/v1/rounds",
            json!({"title": "Đợt sau", "deadline": "2025-08-15T17:00:00+07:00"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(later["expected"], 167);
    let not_expected = r.save(&r.app.client, "99999", json!({"figures": {}})).await;
    assert_eq!(not_expected.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_figures_and_closed_rounds_are_refused_with_reasons() {
    let r = Round::open().await;
    for (figure, code) in [
        (json!(-1), "figure_invalid"),
        (json!(1.5), "figure_invalid"),
        (json!("mười"), "figure_invalid"),
        (json!(true), "figure_invalid"),
    ] {
        let refused = r
            .save(
                &r.officer,
                XUAN_BINH,
                json!({"figures": {"sessions_held": figure}}),
            )
            .await;
        let fields = field_errors(refused).await;
        assert_eq!(
            fields,
            vec![("figures.sessions_held".to_string(), code.to_string())],
            "{figure}"
        );
    }
    for deadline in ["2020-01-01T17:00:00+07:00", "9999-01-01T17:00:00+07:00"] {
        let refused = send(
            &r.app.client,
            &r.app,
            reqwest::Method::POST,
            "/api/v1/rounds",
            json!({"title": "Sai năm", "deadline": deadline}),
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{deadline}"
        );
    }
    let unknown = r
        .save(&r.officer, XUAN_BINH, json!({"figures": {"weather": 1}}))
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing saved yet: nothing to submit.
    let nothing = r.act(&r.officer, XUAN_BINH, "submit", json!({})).await;
    assert_eq!(nothing.status(), StatusCode::CONFLICT);
    // A draft with one figure missing cannot be submitted; the missing one is named.
    let mut partial = all_figures(1);
    partial.as_object_mut().unwrap().remove("cyber_safety");
    r.save(
        &r.officer,
        XUAN_BINH,
        json!({"figures": partial, "narrative": {"results": "Tốt"}}),
    )
    .await;
    let incomplete = r.act(&r.officer, XUAN_BINH, "submit", json!({})).await;
    let fields = field_errors(incomplete).await;
    assert_eq!(
        fields,
        vec![(
            "figures.cyber_safety".to_string(),
            "figure_missing".to_string()
        )]
    );
    // Once a draft exists, a save must say which version it replaces.
    let blind = r
        .save(
            &r.officer,
            XUAN_BINH,
            json!({"figures": {"sessions_held": 2}}),
        )
        .await;
    let fields = field_errors(blind).await;
    assert_eq!(
        fields,
        vec![("version".to_string(), "version_required".to_string())]
    );
    // A stale version is a conflict, not an overwrite.
    let stale = r
        .save(
            &r.officer,
            XUAN_BINH,
            json!({"figures": {"sessions_held": 2}, "version": 0}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    let close = send(
        &r.app.client,
        &r.app,
        reqwest::Method::POST,
        &format!("/api/v1/rounds/{}/close", r.id),
        json!({}),
    )
    .await;
    assert_eq!(close.status(), StatusCode::OK);
    let late = r
        .save(&r.officer, XUAN_BINH, json!({"figures": all_figures(1)}))
        .await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let submit = r.act(&r.officer, XUAN_BINH, "submit", json!({})).await;
    assert_eq!(submit.status(), StatusCode::CONFLICT);
    let body: Value = submit.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "round_closed");
}

#[tokio::test]
async fn every_step_of_a_round_is_in_the_audit_log() {
    let r = Round::open().await;
    r.fill_and_submit(&r.officer, XUAN_BINH).await;
    r.act(&r.app.client, XUAN_BINH, "accept", json!({})).await;
    let filter = AuditFilter {
        province_code: PROVINCE.into(),
        ..Default::default()
    };
    let entries = r
        .app
        .store
        .audit_entries(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .unwrap()
        .items;
    let actions: Vec<&str> = entries.iter().map(|e| e.action.code()).collect();
    for action in [
        "round.create",
        "report.save",
        "report.submit",
        "report.accept",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let submit = entries
        .iter()
        .find(|e| e.action.code() == "report.submit")
        .unwrap();
    assert_eq!(submit.object_kind, ObjectKind::Report);
    assert_eq!(submit.username, "officer");
    assert_eq!(submit.after.as_ref().unwrap()["state"], "submitted");
    assert_eq!(submit.after.as_ref().unwrap()["sessions_held"], "3");
}

#[tokio::test]
async fn another_province_reaches_neither_the_round_nor_its_reports() {
    let r = Round::open().await;
    create_account(&r.app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi = r.app.token_client_for("admin.hanoi").await;
    for path in [
        format!("/api/v1/rounds/{}", r.id),
        r.report_path(XUAN_BINH),
        format!("/api/v1/rounds/{}/status", r.id),
    ] {
        let answer = hanoi.get(r.app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let close = send(
        &hanoi,
        &r.app,
        reqwest::Method::POST,
        &format!("/api/v1/rounds/{}/close", r.id),
        json!({}),
    )
    .await;
    assert_eq!(close.status(), StatusCode::NOT_FOUND);
    let listed: Value = json_of(
        hanoi.get(r.app.url("/api/v1/rounds")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed, json!([]));
}

#[tokio::test]
async fn the_department_sees_what_changed_in_a_team_list_since_the_previous_round() {
    let r = Round::open().await;
    let team = r
        .app
        .create_team(
            XUAN_BINH,
            "Tổ CNSCĐ thôn Đông",
            "Nguyễn Văn An",
            "0914994123",
        )
        .await;
    r.fill_and_submit(&r.officer, XUAN_BINH).await;

    // The next round: meanwhile a team was founded and someone joined the first one.
    let next = json_of(
        send(
            &r.app.client,
            &r.app,
            reqwest::Method::POST,
            "/api/v1/rounds",
            json!({"title": "Đợt sau", "deadline": "2025-08-15T17:00:00+07:00"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    r.app
        .create_team(
            XUAN_BINH,
            "Tổ CNSCĐ thôn Tây",
            "Trần Văn Bình",
            "0914994125",
        )
        .await;
    let joined = r
        .app
        .add_member(
            team["id"].as_i64().unwrap(),
            "Lê Thị Hoa",
            "member",
            "0914994124",
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let next = Round {
        id: next["id"].as_i64().unwrap(),
        ..r
    };
    next.fill_and_submit(&next.officer, XUAN_BINH).await;

    let page = next
        .app
        .client
        .get(next.app.url(&format!("/rounds/{}/changes", next.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let changes = page.split("id=\"changes\"").nth(1).unwrap();
    assert!(changes.contains("Tổ mới: Tổ CNSCĐ thôn Tây"), "{changes}");
    assert!(changes.contains("Vào tổ Tổ CNSCĐ thôn Tây: Trần Văn Bình"));
    assert!(changes.contains("Vào tổ Tổ CNSCĐ thôn Đông: Lê Thị Hoa"));
    assert!(
        !changes.contains("Nguyễn Văn An"),
        "unchanged people are not listed"
    );

    // The lists frozen with the round, in the template, read back by an independent reader.
    let workbook = next
        .app
        .client
        .get(next.app.url(&format!("/rounds/{}/roster.xlsx", next.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(workbook.status(), StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ds.xlsx");
    std::fs::write(&path, workbook.bytes().await.unwrap()).unwrap();
    let read = crate::workbook::python(
        "import sys, openpyxl\n\
         ws = openpyxl.load_workbook(sys.argv[1]).active\n\
         print('|'.join(str(r[4]) for r in ws.iter_rows(min_row=4, values_only=True) if r[4]))",
        &[path.to_str().unwrap()],
    );
    if let Some(read) = read {
        // Three people, then the TỔNG row's count.
        let names: Vec<&str> = read.trim().split('|').collect();
        assert_eq!(names.len(), 4, "{read}");
        assert_eq!(names[3], "3 thành viên");
        for name in ["Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình"] {
            assert!(names.contains(&name), "{name} in {read}");
        }
    }
}

#[tokio::test]
async fn the_department_reads_what_was_submitted_and_drafts_follow_the_rounds_questions() {
    let r = Round::open().await;
    let report = r.report_path(XUAN_BINH);
    // A draft, then the Department narrows the round's questions: the dropped figure goes with them.
    let draft = json_of(
        r.save(&r.officer, XUAN_BINH, json!({"figures": all_figures(7)}))
            .await,
        StatusCode::OK,
    )
    .await;
    let round = json_of(
        r.app
            .client
            .get(r.app.url(&format!("/api/v1/rounds/{}", r.id)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let narrowed = send(&r.app.client, &r.app, reqwest::Method::PUT, &format!("/api/v1/rounds/{}", r.id),
        json!({"title": "Chỉ hỏi số buổi", "deadline": DEADLINE, "indicators": ["sessions_held"], "version": round["version"]})).await;
    assert_eq!(narrowed.status(), StatusCode::OK);
    let seen = json_of(
        r.officer.get(r.app.url(&report)).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["figures"], json!({"sessions_held": 7}), "{seen}");
    let submitted = json_of(
        r.act(
            &r.officer,
            XUAN_BINH,
            "submit",
            json!({"version": draft["version"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        submitted["error"]["fields"][0]["field"], "narrative.results",
        "the results are written first"
    );
    let saved = json_of(
        r.save(&r.officer, XUAN_BINH, json!({"figures": {"sessions_held": 7}, "narrative": {"results": "Bảy buổi."}, "version": seen["version"]})).await,
        StatusCode::OK,
    )
    .await;
    json_of(
        r.act(
            &r.officer,
            XUAN_BINH,
            "submit",
            json!({"version": saved["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    // Returned, and corrected in a draft not yet submitted: the Department still reads what it returned.
    json_of(
        r.act(
            &r.app.client,
            XUAN_BINH,
            "return",
            json!({"reason": "Kiểm tra lại"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let returned = json_of(
        r.officer.get(r.app.url(&report)).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    r.save(&r.officer, XUAN_BINH, json!({"figures": {"sessions_held": 55555}, "narrative": {"results": "Sửa"}, "version": returned["version"]})).await;
    let figures = r.figures().await;
    assert_eq!(
        figures["by_commune"][0]["figures"],
        json!({"sessions_held": 7}),
        "{figures}"
    );
    let read = json_of(
        r.app.client.get(r.app.url(&report)).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["submitted_figures"], json!({"sessions_held": 7}));
    assert_eq!(read["figures"], json!({"sessions_held": 55555}));
    let page = r
        .app
        .client
        .get(r.app.url(&format!("/rounds/{}/reports/{XUAN_BINH}", r.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shown = page.split("id=\"figures\"").nth(1).unwrap();
    assert!(
        shown.contains(">7 buổi<") && !shown.contains("55.555"),
        "{shown}"
    );
}
