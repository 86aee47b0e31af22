use crate::helpers::*;

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/teams", "/static/app.js", "/teams/999999"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "no inline script or style");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    for path in [
        "/".to_string(),
        format!("/communes/{XUAN_BINH}"),
        format!("/teams/{}", team["id"]),
        format!("/communes/{XUAN_BINH}/decisions/new"),
        "/import".into(),
        "/api/docs".into(),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status(), reqwest::StatusCode::OK, "{path}");
        let page = answer.text().await.unwrap();
        assert!(page.contains("</html>"), "{path}: a whole page");
        assert!(
            !page.contains("<script>") && !page.contains(" style=\"") && !page.contains("<style"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn what_people_type_is_escaped_on_every_page_that_shows_it() {
    let app = spawn_app().await;
    let hostile = "<script>alert(1)</script>";
    let team = app
        .create_team(
            XUAN_BINH,
            &format!("Tổ {hostile}"),
            "Nguyễn Văn An",
            "0914994123",
        )
        .await;
    let admin = app.sign_in(ADMIN).await;
    for path in [
        format!("/teams/{}", team["id"]),
        format!("/communes/{XUAN_BINH}"),
        "/search?q=to".to_string(),
        "/admin/audit".into(),
    ] {
        let answer = admin.get(&path).await;
        assert_eq!(answer.status(), reqwest::StatusCode::OK, "{path}");
        let page = answer.text().await.unwrap();
        assert!(page.contains("Tổ &"), "{path} shows the team's name");
        assert!(!page.contains(hostile), "{path} shows raw markup");
    }
    // A path of this site is kept as the place to return to after signing in: escaped in the form.
    let next = format!("/search?q={hostile}");
    let login = reqwest::Client::new()
        .get(app.url("/login"))
        .query(&[("next", next.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    let page = login.text().await.unwrap();
    assert!(
        page.contains("/search?q=&lt;script&gt;") || page.contains("/search?q=&#60;script&#62;"),
        "{page}"
    );
    assert!(!page.contains(hostile));
    let page = admin
        .get(&format!("/teams/{}", team["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("&lt;script&gt;") || page.contains("&#60;script&#62;"));
}

#[tokio::test]
async fn after_signing_in_only_a_path_of_this_site_is_followed() {
    let app = spawn_app().await;
    for (next, expected) in [
        ("/teams/1?x=2", "/teams/1?x=2"),
        ("/\t/evil.example", "/"),
        ("/%09/evil.example", "/%09/evil.example"),
        ("/\n", "/"),
        ("/\u{b}", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ] {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let form = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let answer = client
            .post(app.url("/login"))
            .form(&[
                ("username", ADMIN),
                ("password", PASSWORD),
                ("next", next),
                ("csrf", &csrf_of(&form)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(answer.headers()["location"], expected, "{next:?}");
    }
}
