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
    // A path of this site is kept as the place to return to after signing in, escaped in the form; one that
    // is not a valid path (markup in it) is not kept at all.
    let login_url = app.url("/login");
    let login = |next: String| {
        let url = login_url.clone();
        async move {
            let answer = reqwest::Client::new()
                .get(url)
                .query(&[("next", next.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), reqwest::StatusCode::OK);
            answer.text().await.unwrap()
        }
    };
    let page = login("/search?q=a&b='x'".into()).await;
    assert!(
        page.contains("value=\"/search?q=a&amp;b=&#39;x&#39;\"")
            || page.contains("value=\"/search?q=a&#38;b=&#39;x&#39;\""),
        "{page}"
    );
    let page = login(format!("/search?q={hostile}")).await;
    assert!(
        !page.contains(hostile) && !page.contains("alert(1)"),
        "{page}"
    );
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
        let form = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
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

/// Opens a connection that sends its request headers a byte at a time, forever; returns when the server
/// closes it.
async fn slow_client(address: std::net::SocketAddr) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut buffer = [0u8; 1024];
    for byte in request.iter().cycle() {
        if stream.write_all(&[*byte]).await.is_err() {
            return;
        }
        match tokio::time::timeout(
            std::time::Duration::from_millis(100),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return,
            Ok(Ok(_)) => return,
            Err(_) => {}
        }
    }
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_cannot_take_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let store = cnscd_store::Store::open(&url).await.unwrap();
    store.preload_units().await.unwrap();
    let limits = cnscd_web::ServeLimits {
        max_connections: 8,
        header_timeout: std::time::Duration::from_secs(1),
        request_timeout: std::time::Duration::from_secs(5),
    };
    let base = serve_with_limits(store, cnscd_web::WebSettings::default(), limits).await;
    let address: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    // Twenty slow clients, more than the connections allowed: each is disconnected at the header timeout.
    let slow: Vec<_> = (0..20)
        .map(|_| tokio::spawn(slow_client(address)))
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // A normal visitor still gets an answer: slots free up as the slow ones are cut off.
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        reqwest::Client::new().get(format!("{base}/login")).send(),
    )
    .await
    .expect("answered while slow clients hold connections")
    .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    for client in slow {
        tokio::time::timeout(std::time::Duration::from_secs(10), client)
            .await
            .expect("every slow client is disconnected by the server")
            .unwrap();
    }
}
