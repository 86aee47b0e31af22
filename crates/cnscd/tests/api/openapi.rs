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
    assert!(bad["message"]
        .as_str()
        .unwrap()
        .contains("không đủ hoặc thừa chữ số"));
    let decision = app
        .get_json("/api/v1/check/decision_number?value=01%2FQD-UBND")
        .await;
    assert_eq!(decision["normalized"], "01/QĐ-UBND");
}

#[tokio::test]
async fn the_documents_parameters_are_the_routers() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let mut queries = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let in_template: Vec<String> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_string)
            .collect();
        for (method, operation) in item.as_object().unwrap() {
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut in_path: Vec<String> = parameters
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            in_path.sort();
            let mut expected = in_template.clone();
            expected.sort();
            assert_eq!(
                in_path, expected,
                "{method} {path}: path parameters are the template's"
            );
            for query in parameters.iter().filter(|p| p["in"] == "query") {
                queries += 1;
                let name = query["name"].as_str().unwrap();
                assert!(
                    !in_template.iter().any(|t| t == name),
                    "{method} {path}: {name}"
                );
            }
        }
    }
    assert!(
        queries >= 15,
        "the filters are documented as query parameters: {queries}"
    );
    let teams = &doc["paths"]["/api/v1/teams"]["get"]["parameters"];
    let commune = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "commune")
        .expect("the commune filter");
    assert_eq!(commune["in"], "query");
    assert_eq!(commune["required"], false);
}
