//! Who may reach what: the scope matrix over every route and role, and what needs signing in at all.

use crate::helpers::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// A commune's records, created by the admin: a team with its leader and a decision.
struct Records {
    commune: &'static str,
    team: i64,
    member: i64,
    decision: i64,
    /// A reporting round of the commune's province.
    round: i64,
    /// A training class of the province, and the commune's member registered for it.
    class: i64,
    registration: i64,
    /// A document of the province's library, with a file.
    document: i64,
}

/// A class that would be accepted.
fn class_draft() -> Value {
    json!({"topic": "Dịch vụ công trực tuyến", "starts_at": days_ahead(20), "ends_at": days_ahead(21),
           "venue": "Hội trường Sở", "capacity": 30, "registration_deadline": days_ahead(10)})
}

async fn records(app: &TestApp, client: &Client, commune: &'static str, phone: &str) -> Records {
    let post = |path: &str, body: Value| {
        let request = client.post(app.url(path)).json(&body);
        async move {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::CREATED);
            answer.json::<Value>().await.unwrap()
        }
    };
    let created = post(
        "/api/v1/teams",
        json!({"commune_code": commune, "name": "Tổ thôn Mới",
               "leader": {"full_name": "Nguyễn Văn An", "phone": phone}}),
    )
    .await;
    let team = created["team"]["id"].as_i64().unwrap();
    let members: Value = json_from(client, app.url(&format!("/api/v1/teams/{team}/members"))).await;
    let decision = post(
        "/api/v1/decisions",
        json!({"commune_code": commune, "number": "01/QĐ-UBND", "signed_on": "10/07/2025",
               "kind": "establish", "team_ids": [team]}),
    )
    .await;
    let round = post(
        "/api/v1/rounds",
        json!({"title": "Báo cáo quý", "deadline": days_ahead(10)}),
    )
    .await;
    let class = post("/api/v1/training/classes", class_draft()).await;
    let class = class["id"].as_i64().unwrap();
    let member = members[0]["id"].as_i64().unwrap();
    let registration = post(
        &format!("/api/v1/training/classes/{class}/registrations"),
        json!({"member_id": member}),
    )
    .await;
    let document = post(
        "/api/v1/documents",
        json!({"number": "01/HD-SKHCN", "issued_on": "01/12/2026", "issuer": "Sở KH&CN",
               "kind": "huong_dan", "title": "Hướng dẫn"}),
    )
    .await;
    let document = document["id"].as_i64().unwrap();
    let uploaded = client
        .put(app.url(&format!(
            "/api/v1/documents/{document}/file?name=hd.pdf&version=1"
        )))
        .body(b"%PDF-1.4\n%%EOF\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), StatusCode::OK);
    Records {
        document,
        commune,
        team,
        member,
        decision: decision["id"].as_i64().unwrap(),
        round: round["id"].as_i64().unwrap(),
        class,
        registration: registration["id"].as_i64().unwrap(),
    }
}

/// What a route reaches, which decides who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// A record of one commune: its readers read it, its writers change it; others get 404.
    Commune,
    /// A province-wide view: province accounts only (403 for a commune officer).
    Province,
    /// A record of the whole province that its communes read too (a reporting round): 404 from another
    /// province, readable by every account of its own.
    ProvinceRecord,
    /// Users, the audit log, the province's settings: province admins only.
    Admin,
    /// A change not tied to one record (imports): not for read-only accounts.
    Writer,
    /// The caller's own account.
    Own,
    /// Open to anyone, signed in or not.
    Public,
    /// The public team finder: anyone, without signing in, for the server's province only (404 for another's).
    Citizen,
}

/// How a route is called in the matrix.
enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
    Multipart,
}

/// One call of a route on some commune's records.
struct Probe {
    path: String,
    body: Body,
    reach: Reach,
}

fn json_probe(path: String, body: Value) -> Probe {
    Probe {
        path,
        body: Body::Json(body),
        reach: Reach::Commune,
    }
}

fn form_probe(path: String, fields: Vec<(&'static str, String)>) -> Probe {
    Probe {
        path,
        body: Body::Form(fields),
        reach: Reach::Commune,
    }
}

fn plain(path: impl Into<String>, reach: Reach) -> Probe {
    Probe {
        path: path.into(),
        body: Body::None,
        reach,
    }
}

/// The matrix's entry for a route of the router, on `r`'s records (with a body that would succeed if
/// allowed); `None` for a route the matrix does not know, which fails the test.
fn probe(method: &str, route: &str, r: &Records) -> Option<Probe> {
    let (c, t, m, d, round) = (r.commune, r.team, r.member, r.decision, r.round);
    let report = format!("/api/v1/rounds/{round}/reports/{c}");
    let version = || ("version", "1".to_string());
    Some(match (method, route) {
        ("GET", "/api/v1/communes/{code}") => {
            plain(format!("/api/v1/communes/{c}"), Reach::Commune)
        }
        ("GET", "/api/v1/teams/{id}") => plain(format!("/api/v1/teams/{t}"), Reach::Commune),
        ("GET", "/api/v1/teams/{id}/members") => {
            plain(format!("/api/v1/teams/{t}/members"), Reach::Commune)
        }
        ("GET", "/api/v1/teams") => plain(format!("/api/v1/teams?commune={c}"), Reach::Commune),
        ("GET", "/api/v1/members/{id}") => plain(format!("/api/v1/members/{m}"), Reach::Commune),
        ("GET", "/api/v1/members") => plain(format!("/api/v1/members?team={t}"), Reach::Commune),
        ("GET", "/api/v1/decisions/{id}") => {
            plain(format!("/api/v1/decisions/{d}"), Reach::Commune)
        }
        ("GET", "/api/v1/decisions") => {
            plain(format!("/api/v1/decisions?commune={c}"), Reach::Commune)
        }
        ("POST", "/api/v1/teams") => json_probe(
            "/api/v1/teams".into(),
            json!({"commune_code": c, "name": "Tổ lạ", "leader": {"full_name": "Lê Văn Lạ"}}),
        ),
        ("PUT", "/api/v1/teams/{id}") => json_probe(
            format!("/api/v1/teams/{t}"),
            json!({"name": "Tổ đổi tên", "version": 1}),
        ),
        ("POST", "/api/v1/teams/{id}/move") => json_probe(
            format!("/api/v1/teams/{t}/move"),
            json!({"commune_code": c, "version": 1}),
        ),
        ("DELETE", "/api/v1/teams/{id}") => {
            json_probe(format!("/api/v1/teams/{t}?version=1"), json!({}))
        }
        ("POST", "/api/v1/teams/{id}/members") => json_probe(
            format!("/api/v1/teams/{t}/members"),
            json!({"full_name": "Lê Văn Lạ", "role": "member"}),
        ),
        ("PUT", "/api/v1/members/{id}") => json_probe(
            format!("/api/v1/members/{m}"),
            json!({"full_name": "Nguyễn Văn Ân", "role": "leader", "version": 1}),
        ),
        ("POST", "/api/v1/members/{id}/make-leader") => json_probe(
            format!("/api/v1/members/{m}/make-leader"),
            json!({"version": 1}),
        ),
        ("DELETE", "/api/v1/members/{id}") => {
            json_probe(format!("/api/v1/members/{m}?version=1"), json!({}))
        }
        ("POST", "/api/v1/decisions") => json_probe(
            "/api/v1/decisions".into(),
            json!({"commune_code": c, "number": "02/QĐ-UBND", "signed_on": "11/07/2025",
                   "kind": "establish", "team_ids": [t]}),
        ),
        ("PUT", "/api/v1/decisions/{id}") => json_probe(
            format!("/api/v1/decisions/{d}"),
            json!({"number": "01/QĐ-UBND", "signed_on": "12/07/2025", "kind": "establish",
                   "team_ids": [t], "version": 1}),
        ),
        ("DELETE", "/api/v1/decisions/{id}") => {
            json_probe(format!("/api/v1/decisions/{d}?version=1"), json!({}))
        }
        ("GET", "/api/v1/communes")
        | ("GET", "/api/v1/search")
        | ("GET", "/api/v1/check/{field}") => {
            // Lists narrowed to the caller's reach (checked below), and a check of a typed value.
            plain(
                route.replace("{field}", "phone") + "?q=nguyen&value=0914994123",
                Reach::Own,
            )
        }
        ("GET", "/api/v1/members/{id}/consent") => {
            plain(format!("/api/v1/members/{m}/consent"), Reach::Commune)
        }
        ("PUT", "/api/v1/members/{id}/consent") => json_probe(
            format!("/api/v1/members/{m}/consent"),
            json!({"method": "in_person"}),
        ),
        ("DELETE", "/api/v1/members/{id}/consent") => {
            json_probe(format!("/api/v1/members/{m}/consent"), json!({}))
        }
        ("GET", "/api/v1/communes/{code}/villages") => {
            plain(format!("/api/v1/communes/{c}/villages"), Reach::Commune)
        }
        ("PUT", "/api/v1/communes/{code}/villages") => json_probe(
            format!("/api/v1/communes/{c}/villages"),
            json!({"villages": 12}),
        ),
        ("POST", "/communes/{code}/villages") => form_probe(
            format!("/communes/{c}/villages"),
            vec![("villages", "12".into())],
        ),
        ("GET", "/api/v1/communes/{code}/contact") => {
            plain(format!("/api/v1/communes/{c}/contact"), Reach::Commune)
        }
        ("PUT", "/api/v1/communes/{code}/contact") => json_probe(
            format!("/api/v1/communes/{c}/contact"),
            json!({"label": "Văn phòng UBND xã", "phone": "0237 3861 234"}),
        ),
        ("GET", "/public") | ("GET", "/api/public/communes") => {
            plain(format!("{route}?q=xuan"), Reach::Citizen)
        }
        ("GET", "/public/communes/{code}")
        | ("GET", "/public/communes/{code}/poster")
        | ("GET", "/api/public/communes/{code}") => {
            plain(route.replace("{code}", c), Reach::Citizen)
        }
        ("GET", "/public/teams/{id}")
        | ("GET", "/public/teams/{id}/poster")
        | ("GET", "/api/public/teams/{id}") => {
            plain(route.replace("{id}", &t.to_string()), Reach::Citizen)
        }
        ("GET", "/api/v1/training/classes") | ("GET", "/training") => plain(route, Reach::Own),
        ("POST", "/api/v1/training/classes") => Probe {
            reach: Reach::Admin,
            ..json_probe(route.into(), class_draft())
        },
        ("GET", "/api/v1/training/classes/{id}") | ("GET", "/training/{id}") => plain(
            route.replace("{id}", &r.class.to_string()),
            Reach::ProvinceRecord,
        ),
        ("GET", "/api/v1/training/classes/{id}/registrations") => plain(
            route.replace("{id}", &r.class.to_string()),
            Reach::ProvinceRecord,
        ),
        ("PUT", "/api/v1/training/classes/{id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.replace("{id}", &r.class.to_string()),
                json!({"version": 1, "topic": "Lớp đổi tên", "starts_at": days_ahead(20),
                       "ends_at": days_ahead(21), "venue": "Hội trường", "capacity": 30,
                       "registration_deadline": days_ahead(10)}),
            )
        },
        ("POST", "/api/v1/training/classes/{id}/cancel") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.replace("{id}", &r.class.to_string()),
                json!({"version": 1, "reason": "Hoãn"}),
            )
        },
        ("POST", "/api/v1/training/classes/{id}/registrations") => json_probe(
            route.replace("{id}", &r.class.to_string()),
            json!({"member_id": m}),
        ),
        ("DELETE", "/api/v1/training/registrations/{id}") => json_probe(
            route.replace("{id}", &r.registration.to_string()),
            json!({}),
        ),
        ("PUT", "/api/v1/training/registrations/{id}/attendance") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.replace("{id}", &r.registration.to_string()),
                json!({"attendance": "present"}),
            )
        },
        ("GET", "/training/new") | ("GET", "/training/{id}/edit") => {
            plain(route.replace("{id}", &r.class.to_string()), Reach::Admin)
        }
        ("POST", "/training/new")
        | ("POST", "/training/{id}/edit")
        | ("POST", "/training/{id}/cancel")
        | ("POST", "/training/{id}/attendance") => Probe {
            path: route.replace("{id}", &r.class.to_string()),
            body: Body::Form(Vec::new()),
            reach: Reach::Admin,
        },
        ("POST", "/training/{id}/register") => Probe {
            path: route.replace("{id}", &r.class.to_string()),
            body: Body::Form(vec![("member_id", m.to_string())]),
            reach: Reach::Writer,
        },
        ("POST", "/training/registrations/{id}/withdraw") => form_probe(
            route.replace("{id}", &r.registration.to_string()),
            Vec::new(),
        ),
        ("GET", "/training/{id}/roster.xlsx") => plain(
            route.replace("{id}", &r.class.to_string()),
            Reach::ProvinceRecord,
        ),
        ("GET", "/training/{id}/sign-in-sheet")
        | ("GET", "/api/v1/training/classes/{id}/sign-in-sheet") => plain(
            route.replace("{id}", &r.class.to_string()) + "?format=docx",
            Reach::Province,
        ),
        ("GET", "/training/{id}/sign-in.xlsx") => {
            plain(route.replace("{id}", &r.class.to_string()), Reach::Province)
        }
        ("GET", "/api/v1/documents") | ("GET", "/library") => plain(route, Reach::Own),
        ("GET", "/api/v1/documents/{id}")
        | ("GET", "/api/v1/documents/{id}/file")
        | ("GET", "/library/{id}")
        | ("GET", "/library/{id}/file") => plain(
            route.replace("{id}", &r.document.to_string()),
            Reach::ProvinceRecord,
        ),
        ("POST", "/api/v1/documents") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.into(),
                json!({"issuer": "Sở", "kind": "huong_dan", "title": "Lạ"}),
            )
        },
        ("PUT", "/api/v1/documents/{id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.replace("{id}", &r.document.to_string()),
                json!({"issuer": "Sở", "kind": "huong_dan", "title": "Lạ", "version": 1}),
            )
        },
        ("DELETE", "/api/v1/documents/{id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                format!("/api/v1/documents/{}?version=1", r.document),
                json!({}),
            )
        },
        ("PUT", "/api/v1/documents/{id}/file") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                format!("/api/v1/documents/{}/file?name=a.pdf&version=1", r.document),
                json!({}),
            )
        },
        ("PUT", "/api/v1/training/classes/{id}/documents/{document_id}")
        | ("DELETE", "/api/v1/training/classes/{id}/documents/{document_id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route
                    .replace("{id}", &r.class.to_string())
                    .replace("{document_id}", &r.document.to_string()),
                json!({}),
            )
        },
        ("PUT", "/api/v1/rounds/{id}/documents/{document_id}")
        | ("DELETE", "/api/v1/rounds/{id}/documents/{document_id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route
                    .replace("{id}", &r.round.to_string())
                    .replace("{document_id}", &r.document.to_string()),
                json!({}),
            )
        },
        ("POST", "/rounds/{id}/documents") => Probe {
            path: route.replace("{id}", &r.round.to_string()),
            body: Body::Form(vec![("document_id", r.document.to_string())]),
            reach: Reach::Admin,
        },
        ("GET", "/library/new") => plain(route, Reach::Admin),
        ("POST", "/library/new") | ("POST", "/library/{id}") => Probe {
            path: route.replace("{id}", &r.document.to_string()),
            body: Body::Multipart,
            reach: Reach::Admin,
        },
        ("POST", "/library/{id}/delete") | ("POST", "/training/{id}/documents") => Probe {
            path: route.replace("{id}", &r.document.to_string()),
            body: Body::Form(vec![("document_id", r.document.to_string())]),
            reach: Reach::Admin,
        },
        ("GET", "/api/v1/overview") => plain("/api/v1/overview", Reach::Province),
        ("GET", "/api/v1/indicators") | ("GET", "/api/v1/rounds") => plain(route, Reach::Own),
        ("POST", "/api/v1/indicators") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.into(),
                json!({"code": "trained_leaders", "name": "Được tập huấn", "unit": "người"}),
            )
        },
        ("POST", "/api/v1/rounds") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                route.into(),
                json!({"title": "Đợt mới", "deadline": days_ahead(30)}),
            )
        },
        ("GET", "/api/v1/rounds/{id}") => {
            plain(format!("/api/v1/rounds/{round}"), Reach::ProvinceRecord)
        }
        ("PUT", "/api/v1/rounds/{id}") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                format!("/api/v1/rounds/{round}"),
                json!({"title": "Sửa", "deadline": days_ahead(11), "version": 1}),
            )
        },
        ("POST", "/api/v1/rounds/{id}/extend") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                format!("/api/v1/rounds/{round}/extend"),
                json!({"deadline": days_ahead(20)}),
            )
        },
        ("POST", "/api/v1/rounds/{id}/close") => Probe {
            reach: Reach::Admin,
            ..json_probe(format!("/api/v1/rounds/{round}/close"), json!({}))
        },
        ("GET", "/api/v1/rounds/{id}/status")
        | ("GET", "/api/v1/rounds/{id}/board")
        | ("GET", "/api/v1/rounds/{id}/figures") => {
            plain(route.replace("{id}", &round.to_string()), Reach::Province)
        }
        ("GET", "/api/v1/rounds/{id}/reports/{commune_code}") => plain(report, Reach::Commune),
        ("PUT", "/api/v1/rounds/{id}/reports/{commune_code}") => json_probe(
            report,
            json!({"figures": {"sessions_held": 2}, "narrative": {"results": "Tốt"}}),
        ),
        ("POST", "/api/v1/rounds/{id}/reports/{commune_code}/submit") => {
            json_probe(format!("{report}/submit"), json!({}))
        }
        ("POST", "/api/v1/rounds/{id}/reports/{commune_code}/return") => Probe {
            reach: Reach::Admin,
            ..json_probe(
                format!("{report}/return"),
                json!({"reason": "Thiếu số liệu"}),
            )
        },
        ("POST", "/api/v1/rounds/{id}/reports/{commune_code}/accept") => Probe {
            reach: Reach::Admin,
            ..json_probe(format!("{report}/accept"), json!({}))
        },

        ("GET", "/") => plain("/", Reach::Own),
        ("GET", "/rounds") => plain(route, Reach::Own),
        ("GET", "/rounds/new") => plain(route, Reach::Admin),
        ("GET", "/rounds/compare") => plain(route, Reach::Province),
        // An officer's dashboard is her commune's.
        ("GET", "/dashboard") => plain(route, Reach::Own),
        ("POST", "/rounds/new") | ("POST", "/rounds/indicators") => Probe {
            reach: Reach::Admin,
            ..form_probe(route.into(), Vec::new())
        },
        ("GET", "/rounds/{id}") => plain(format!("/rounds/{round}"), Reach::ProvinceRecord),
        ("GET", "/rounds/{id}/edit") => plain(format!("/rounds/{round}/edit"), Reach::Admin),
        ("POST", "/rounds/{id}/edit")
        | ("POST", "/rounds/{id}/extend")
        | ("POST", "/rounds/{id}/close")
        | ("POST", "/rounds/{id}/remind") => Probe {
            reach: Reach::Admin,
            ..form_probe(route.replace("{id}", &round.to_string()), vec![version()])
        },
        ("GET", "/rounds/{id}/figures")
        | ("GET", "/rounds/{id}/figures.xlsx")
        | ("GET", "/rounds/{id}/changes")
        | ("GET", "/rounds/{id}/roster.xlsx") => {
            plain(route.replace("{id}", &round.to_string()), Reach::Province)
        }
        ("GET", "/rounds/{id}/reports/{code}") => {
            plain(format!("/rounds/{round}/reports/{c}"), Reach::Commune)
        }
        ("POST", "/rounds/{id}/reports/{code}") => form_probe(
            format!("/rounds/{round}/reports/{c}"),
            vec![
                ("figures.sessions_held", "2".into()),
                ("action", "save".into()),
            ],
        ),
        ("POST", "/rounds/{id}/reports/{code}/return")
        | ("POST", "/rounds/{id}/reports/{code}/accept") => Probe {
            reach: Reach::Admin,
            ..form_probe(
                route
                    .replace("{id}", &round.to_string())
                    .replace("{code}", c),
                vec![("reason", "Thiếu số liệu".into()), version()],
            )
        },
        ("GET", "/search") => plain("/search?q=nguyen", Reach::Own),
        ("GET", "/communes/{code}") => plain(format!("/communes/{c}"), Reach::Commune),
        ("GET", "/communes/{code}/teams/new") => {
            plain(format!("/communes/{c}/teams/new"), Reach::Commune)
        }
        ("POST", "/communes/{code}/teams/new") => form_probe(
            format!("/communes/{c}/teams/new"),
            vec![
                ("name", "Tổ lạ".into()),
                ("leader.full_name", "Lê Văn Lạ".into()),
            ],
        ),
        ("GET", "/communes/{code}/decisions/new") => {
            plain(format!("/communes/{c}/decisions/new"), Reach::Commune)
        }
        ("POST", "/communes/{code}/decisions/new") => form_probe(
            format!("/communes/{c}/decisions/new"),
            vec![
                ("number", "03/QĐ-UBND".into()),
                ("signed_on", "12/07/2025".into()),
                ("kind", "establish".into()),
                ("team_ids", t.to_string()),
            ],
        ),
        ("GET", "/teams/{id}") => plain(format!("/teams/{t}"), Reach::Commune),
        ("GET", "/teams/{id}/edit") => plain(format!("/teams/{t}/edit"), Reach::Commune),
        ("POST", "/teams/{id}/edit") => form_probe(
            format!("/teams/{t}/edit"),
            vec![("name", "Tổ đổi tên".into()), version()],
        ),
        ("POST", "/teams/{id}/move") => form_probe(
            format!("/teams/{t}/move"),
            vec![("commune_code", c.to_string()), version()],
        ),
        ("POST", "/teams/{id}/dissolve") => form_probe(
            format!("/teams/{t}/dissolve"),
            vec![version(), ("dissolved_on", "01/11/2026".into())],
        ),
        ("POST", "/teams/{id}/members") => form_probe(
            format!("/teams/{t}/members"),
            vec![("full_name", "Lê Văn Lạ".into()), ("role", "member".into())],
        ),
        ("GET", "/members/{id}/edit") => plain(format!("/members/{m}/edit"), Reach::Commune),
        ("POST", "/members/{id}/edit") => form_probe(
            format!("/members/{m}/edit"),
            vec![
                ("full_name", "Nguyễn Văn Ân".into()),
                ("role", "leader".into()),
                version(),
            ],
        ),
        ("POST", "/members/{id}/make-leader") => {
            form_probe(format!("/members/{m}/make-leader"), vec![version()])
        }
        ("POST", "/members/{id}/consent") => form_probe(
            format!("/members/{m}/consent"),
            vec![("method", "in_person".into())],
        ),
        ("POST", "/members/{id}/consent/withdraw") => {
            form_probe(format!("/members/{m}/consent/withdraw"), Vec::new())
        }
        ("POST", "/communes/{code}/contact") => form_probe(
            format!("/communes/{c}/contact"),
            vec![
                ("label", "Văn phòng UBND xã".into()),
                ("phone", "0237 3861 234".into()),
            ],
        ),
        ("POST", "/members/{id}/leave") => form_probe(
            format!("/members/{m}/leave"),
            vec![version(), ("left_on", "01/11/2026".into())],
        ),
        ("GET", "/decisions/{id}/edit") => plain(format!("/decisions/{d}/edit"), Reach::Commune),
        ("POST", "/decisions/{id}/edit") => form_probe(
            format!("/decisions/{d}/edit"),
            vec![
                ("number", "01/QĐ-UBND".into()),
                ("signed_on", "12/07/2025".into()),
                ("kind", "establish".into()),
                version(),
            ],
        ),
        ("POST", "/decisions/{id}/delete") => {
            form_probe(format!("/decisions/{d}/delete"), vec![version()])
        }
        ("GET", "/export") => plain(format!("/export?commune={c}&format=json"), Reach::Commune),
        ("GET", "/import") => plain("/import", Reach::Writer),
        ("POST", "/import") => Probe {
            path: "/import".into(),
            body: Body::Multipart,
            reach: Reach::Writer,
        },
        ("GET", "/import/{token}/report.csv") => plain(
            "/import/0123456789abcdef0123456789abcdef/report.csv",
            Reach::Writer,
        ),
        ("POST", "/imports/{id}/undo") => Probe {
            path: "/imports/999999/undo".into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Writer,
        },
        ("POST", "/import/{token}/apply") => Probe {
            path: "/import/0123456789abcdef0123456789abcdef/apply".into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Writer,
        },
        ("GET", "/login") | ("POST", "/login") => plain("/login", Reach::Public),
        ("POST", "/logout") => Probe {
            path: "/logout".into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Own,
        },
        ("GET", "/account") => plain("/account", Reach::Own),
        ("POST", "/account/password") | ("POST", "/account/tokens") => Probe {
            path: route.into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Own,
        },
        ("POST", "/account/tokens/{id}/revoke") => Probe {
            path: "/account/tokens/999999/revoke".into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Own,
        },
        ("GET", "/admin/users")
        | ("GET", "/admin/audit")
        | ("GET", "/admin/audit.csv")
        | ("GET", "/admin/settings")
        | ("GET", "/admin/users/onboard")
        | ("GET", "/admin/users/onboard/mau-tai-khoan-can-bo.xlsx") => plain(route, Reach::Admin),
        ("POST", "/admin/users/onboard") => Probe {
            path: route.into(),
            body: Body::Multipart,
            reach: Reach::Admin,
        },
        ("POST", "/admin/users") | ("POST", "/admin/settings") => Probe {
            path: route.into(),
            body: Body::Form(Vec::new()),
            reach: Reach::Admin,
        },
        ("GET", "/admin/users/{id}") => plain("/admin/users/1", Reach::Admin),
        ("POST", "/admin/users/{id}")
        | ("POST", "/admin/users/{id}/password")
        | ("POST", "/admin/users/{id}/slip") => Probe {
            path: route.replace("{id}", "1"),
            body: Body::Form(Vec::new()),
            reach: Reach::Admin,
        },
        // The letter is addressed to the communes; the consolidated report is the Department's.
        ("GET", "/api/v1/rounds/{id}/letter") => plain(
            route.replace("{id}", &round.to_string()) + "?format=docx",
            Reach::ProvinceRecord,
        ),
        ("GET", "/api/v1/rounds/{id}/consolidated-report") => plain(
            route.replace("{id}", &round.to_string()) + "?format=docx",
            Reach::Province,
        ),
        ("GET", "/rounds/{id}/documents/{kind}") => plain(
            format!("/rounds/{round}/documents/consolidated?format=docx"),
            Reach::Province,
        ),
        ("GET", "/api/v1/rounds/{id}/reports/{code}/document") => plain(
            format!("/api/v1/rounds/{round}/reports/{c}/document?format=docx"),
            Reach::Commune,
        ),
        ("GET", "/rounds/{id}/reports/{code}/document") => plain(
            format!("/rounds/{round}/reports/{c}/document"),
            Reach::Commune,
        ),
        ("GET", "/api/v1/communes/{code}/team-list-document")
        | ("GET", "/api/v1/communes/{code}/decision-document") => {
            plain(route.replace("{code}", c) + "?format=docx", Reach::Commune)
        }
        ("GET", "/communes/{code}/documents/{kind}") => plain(
            format!("/communes/{c}/documents/decision?format=docx"),
            Reach::Commune,
        ),
        ("GET", "/api/v1/team-list-document") | ("GET", "/documents/team-list") => {
            plain(format!("{route}?format=docx"), Reach::Province)
        }
        ("GET", "/api/v1/letterhead") | ("GET", "/admin/letterhead") => {
            plain(route, Reach::Province)
        }
        ("PUT", "/api/v1/letterhead") => Probe {
            reach: Reach::Admin,
            ..json_probe(route.into(), json!({"signer_name": "Lê Văn Hòa"}))
        },
        ("POST", "/admin/letterhead") => Probe {
            path: route.into(),
            body: Body::Form(letterhead_form()),
            reach: Reach::Admin,
        },
        ("GET", "/api/v1/communes/{code}/letterhead") | ("GET", "/communes/{code}/letterhead") => {
            plain(route.replace("{code}", c), Reach::Commune)
        }
        ("PUT", "/api/v1/communes/{code}/letterhead") => json_probe(
            route.replace("{code}", c),
            json!({"signer_name": "Lê Văn Hòa"}),
        ),
        ("POST", "/communes/{code}/letterhead") => {
            form_probe(route.replace("{code}", c), letterhead_form())
        }
        _ => return None,
    })
}

/// A letterhead form that would be saved.
fn letterhead_form() -> Vec<(&'static str, String)> {
    vec![
        ("body", "UBND XÃ XUÂN BÌNH".into()),
        ("number_suffix", "UBND".into()),
        ("place", "Xuân Bình".into()),
        ("signer_capacity", "TM. ỦY BAN NHÂN DÂN".into()),
        ("signer_title", "CHỦ TỊCH".into()),
        ("archive", "VT".into()),
    ]
}

/// Every route the application serves, as (method, route): the API's from its OpenAPI document (made from
/// the router's own list) and the pages' from their router.
fn every_route() -> Vec<(String, String)> {
    let mut routes: Vec<(String, String)> = cnscd_web::page_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let document = serde_json::to_value(cnscd_web::openapi_document()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    routes
}

/// Sends a probe as a signed-in browser (pages, with the session's CSRF token) or a script (API token).
async fn call(
    app: &TestApp,
    session: &Session,
    token: &Client,
    method: &str,
    probe: &Probe,
) -> StatusCode {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let api = probe.path.starts_with("/api/");
    let url = app.url(&probe.path);
    let request = match (&probe.body, api) {
        (Body::Json(body), _) => token.request(method, url).json(body),
        (Body::None, true) => token.request(method, url),
        (Body::None, false) => session.client.request(method, url),
        (Body::Form(fields), _) => {
            let mut fields: Vec<(&str, String)> = fields.clone();
            fields.push(("csrf", session.csrf.clone()));
            session.client.request(method, url).form(&fields)
        }
        (Body::Multipart, _) => {
            let form = reqwest::multipart::Form::new()
                .text("csrf", session.csrf.clone())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                        .file_name("ds.xlsx"),
                );
            session.client.request(method, url).multipart(form)
        }
    };
    request.send().await.unwrap().status()
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
) -> StatusCode {
    client
        .request(method, app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn every_route_has_its_place_in_the_scope_matrix() {
    let records = Records {
        commune: XUAN_BINH,
        team: 1,
        member: 1,
        decision: 1,
        round: 1,
        class: 1,
        registration: 1,
        document: 1,
    };
    let missing: Vec<String> = every_route()
        .into_iter()
        .filter(|(method, route)| probe(method, route, &records).is_none())
        .map(|(method, route)| format!("{method} {route}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the scope matrix (add them to `probe`): {missing:?}"
    );
}

#[tokio::test]
async fn the_scope_matrix_holds_for_every_route_and_role() {
    let app = spawn_app().await;
    let own = records(&app, &app.client, XUAN_BINH, "0914994123").await;
    let neighbour = records(&app, &app.client, HAC_THANH, "0914994124").await;
    // Another province's records, written by that province's admin on the same installation.
    create_account(&app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi_client = app.token_client_for("admin.hanoi").await;
    let hanoi = records(&app, &hanoi_client, HOAN_KIEM, "0914994125").await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    app.add_user("viewer", "viewer", None).await;
    let officer = app.token_client_for("officer").await;
    let viewer = app.token_client_for("viewer").await;
    let admin = app.client.clone();

    let sessions = (
        app.sign_in("officer").await,
        app.sign_in("viewer").await,
        app.sign_in(ADMIN).await,
    );
    let (officer_session, viewer_session, admin_session) = (&sessions.0, &sessions.1, &sessions.2);
    let anonymous = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let anonymous_session = Session {
        address: app.address.clone(),
        client: anonymous.clone(),
        csrf: String::new(),
    };
    let routes = every_route();
    assert!(routes.len() > 60, "the router's lists: {}", routes.len());
    for (method, route) in &routes {
        let on =
            |records: &Records| probe(method, route, records).expect("every route has a probe");
        let what = format!("{method} {route}");
        let reading = method == "GET";
        match on(&own).reach {
            Reach::Commune => {
                // Out of reach: as if it did not exist, whatever the role and the intent.
                for (who, session, client, records) in [
                    ("officer/neighbour", officer_session, &officer, &neighbour),
                    ("officer/other province", officer_session, &officer, &hanoi),
                    ("viewer/other province", viewer_session, &viewer, &hanoi),
                    ("admin/other province", admin_session, &admin, &hanoi),
                ] {
                    let status = call(&app, session, client, method, &on(records)).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {what}");
                }
                // Within reach: the viewer reads and changes nothing.
                let status = call(&app, viewer_session, &viewer, method, &on(&neighbour)).await;
                let expected = if reading {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "viewer/own province: {what}");
                if reading {
                    let status = call(&app, officer_session, &officer, method, &on(&own)).await;
                    assert_eq!(status, StatusCode::OK, "officer/own: {what}");
                }
            }
            Reach::ProvinceRecord => {
                for (who, session, client) in [
                    ("officer", officer_session, &officer),
                    ("viewer", viewer_session, &viewer),
                    ("admin", admin_session, &admin),
                ] {
                    let status = call(&app, session, client, method, &on(&hanoi)).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{who}/other province: {what}"
                    );
                    // A commune officer's page of a round is her commune's report: a redirect there.
                    let status = call(&app, session, client, method, &on(&neighbour)).await;
                    let expected = if who == "officer" && route.starts_with("/rounds/") {
                        StatusCode::SEE_OTHER
                    } else {
                        StatusCode::OK
                    };
                    assert_eq!(status, expected, "{who}/own province: {what}");
                }
            }
            Reach::Province => {
                let status = call(&app, officer_session, &officer, method, &on(&own)).await;
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "officer: {what} is province-wide"
                );
                let status = call(&app, viewer_session, &viewer, method, &on(&own)).await;
                assert_eq!(status, StatusCode::OK, "viewer: {what}");
            }
            Reach::Admin => {
                for (who, session, client) in [
                    ("officer", officer_session, &officer),
                    ("viewer", viewer_session, &viewer),
                ] {
                    let status = call(&app, session, client, method, &on(&own)).await;
                    assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {what} is for admins");
                }
            }
            Reach::Writer => {
                let status = call(&app, viewer_session, &viewer, method, &on(&own)).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "viewer: {what} writes");
            }
            Reach::Citizen => {
                let status = call(&app, &anonymous_session, &anonymous, method, &on(&own)).await;
                assert_eq!(status, StatusCode::OK, "anonymous: {what}");
                if on(&hanoi).path != on(&own).path {
                    let status =
                        call(&app, &anonymous_session, &anonymous, method, &on(&hanoi)).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "anonymous/other province: {what}"
                    );
                }
            }
            Reach::Own | Reach::Public => {}
        }
        // Nobody unknown gets anything but the way to sign in.
        if !matches!(on(&own).reach, Reach::Public | Reach::Citizen) {
            let status = call(&app, &anonymous_session, &anonymous, method, &on(&own)).await;
            let expected = if reading && !route.starts_with("/api/") {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(status, expected, "anonymous: {what}");
        }
    }
    // Nothing of the neighbour's or Hà Nội's changed, and nobody wrote in their name.
    for records in [&neighbour, &hanoi] {
        let client = if records.commune == HOAN_KIEM {
            &hanoi_client
        } else {
            &admin
        };
        let team: Value =
            json_from(client, app.url(&format!("/api/v1/teams/{}", records.team))).await;
        assert_eq!(team["name"], "Tổ thôn Mới");
        assert_eq!(team["version"], 1);
        assert_eq!(team["members"], 1);
    }

    // Lists and searches never show what is out of reach.
    let teams: Value = json_from(&officer, app.url("/api/v1/teams")).await;
    assert_eq!(
        teams["total"], 1,
        "the officer lists her commune's teams only"
    );
    let members: Value = json_from(&officer, app.url("/api/v1/members")).await;
    assert_eq!(members["total"], 1);
    let found: Value = json_from(&officer, app.url("/api/v1/search?q=nguyen")).await;
    assert_eq!(found["members"].as_array().unwrap().len(), 1);
    assert_eq!(found["members"][0]["id"], own.member);
    let communes: Value = json_from(&officer, app.url("/api/v1/communes")).await;
    assert_eq!(communes["total"], 1);
    for path in ["/api/v1/overview", "/export?format=json"] {
        let status = send(&officer, &app, Method::GET, path, &json!({})).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "officer: {path} is province-wide"
        );
    }
    let status = send(&viewer, &app, Method::GET, "/import", &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer imports nothing");
    for path in [
        "/admin/users",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/settings",
    ] {
        for (who, client) in [("officer", &officer), ("viewer", &viewer)] {
            let status = send(client, &app, Method::GET, path, &json!({})).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {path} is for admins");
        }
    }
    // Within her reach the officer works normally.
    let renamed = send(
        &officer,
        &app,
        Method::PUT,
        &format!("/api/v1/teams/{}", own.team),
        &json!({"name": "Tổ thôn Đông", "version": 1}),
    )
    .await;
    assert_eq!(renamed, StatusCode::OK);
}

#[tokio::test]
async fn personal_data_needs_signing_in() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let anonymous = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/api/v1/members".to_string(),
        format!("/api/v1/teams/{}/members", team["id"]),
        "/api/v1/search?q=nguyen".into(),
    ] {
        let answer = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body = answer.text().await.unwrap();
        assert!(
            body.contains("đăng nhập") && !body.contains("0914"),
            "{path}"
        );
    }
    for path in [
        format!("/teams/{}", team["id"]),
        "/export?format=csv".into(),
        "/".into(),
    ] {
        let answer = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
        let location = answer.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?next="), "{path} → {location}");
    }
    let forged = token_client("cnscd_not-a-real-token");
    let answer = forged.get(app.url("/api/v1/members")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    // The sign-in page, the style sheet and the API description stay public.
    for path in [
        "/login",
        "/static/app.css",
        "/api/openapi.json",
        "/api/docs",
    ] {
        let answer = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn an_officer_imports_her_commune_only() {
    let app = spawn_app().await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let hoa = app.sign_in("hoa.xuanbinh").await;
    // The sample file holds Xuân Bình and a second commune.
    let form = reqwest::multipart::Form::new()
        .text("csrf", hoa.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                .file_name("ca-huyen.xlsx"),
        );
    let answer = hoa
        .client
        .post(hoa.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    assert!(
        page.contains("tài khoản của bạn chỉ được nhập danh sách của xã/phường mã 16177"),
        "the page names what to remove"
    );
    assert!(!page.contains("/apply"), "nothing can be applied");
    assert_eq!(app.get_json("/api/v1/teams").await["total"], 0);
}
