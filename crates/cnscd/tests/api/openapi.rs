use crate::helpers::*;

#[tokio::test]
async fn the_api_is_described_by_an_openapi_document_and_a_readable_page() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/teams",
        "/api/v1/teams/{id}",
        "/api/v1/teams/{id}/members",
        "/api/v1/members/{id}",
        "/api/v1/decisions",
        "/api/v1/search",
        "/api/v1/overview",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["Team"].is_object());
    let page = app.get("/api/docs").await.text().await.unwrap();
    assert!(page.contains("/api/v1/teams/{id}/members") && page.contains("/api/openapi.json"));
}

#[tokio::test]
async fn the_field_check_runs_the_same_rule_as_the_forms() {
    let app = spawn_app().await;
    let good = app
        .get_json("/api/v1/check/phone?value=%2B84%20914%20994%20123")
        .await;
    assert_eq!(good["valid"], true);
    assert_eq!(good["normalized"], "0914994123");
    assert_eq!(good["display"], "0914 994 123");
    let bad = app.get_json("/api/v1/check/phone?value=12345").await;
    assert_eq!(bad["valid"], false);
    assert!(bad["message"].as_str().unwrap().contains("không hợp lệ"));
    let decision = app
        .get_json("/api/v1/check/decision_number?value=01%2FQD-UBND")
        .await;
    assert_eq!(decision["normalized"], "01/QĐ-UBND");
}
