//! Onboarding a province: officer accounts for every commune or from the province's list, with sign-in slips
//! whose first passwords work once and are never kept.

use crate::helpers::*;
use reqwest::StatusCode;

/// Lai Châu: 38 communes, a small province to onboard whole.
const LAI_CHAU: &str = "12";

async fn post_onboarding(
    session: &Session,
    source: &str,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .text("source", source.to_string());
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    session
        .client
        .post(session.url("/admin/users/onboard"))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Each slip's (username, first password), read from the page as a person reads it.
fn slips(page: &str) -> Vec<(String, String)> {
    let values: Vec<String> = page
        .split("<dd class=\"slip-value\">")
        .skip(1)
        .map(|part| part[..part.find("</dd>").unwrap()].to_string())
        .collect();
    values
        .chunks(3)
        .map(|slip| (slip[1].clone(), slip[2].clone()))
        .collect()
}

#[tokio::test]
async fn every_commune_gets_an_officer_whose_slip_signs_in_once() {
    let app = spawn_app().await;
    create_account(
        &app.store,
        LAI_CHAU,
        "admin.laichau",
        "province_admin",
        None,
    )
    .await;
    let admin = app.sign_in("admin.laichau").await;
    let form = admin
        .get("/admin/users/onboard")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("<strong>38</strong> xã/phường chưa có tài khoản"),
        "{form}"
    );

    let answer = post_onboarding(&admin, "every_commune", None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let page = answer.text().await.unwrap();
    let slips = slips(&page);
    assert_eq!(slips.len(), 38, "one slip per commune");
    assert!(
        page.contains(&format!("{}/login", app.address)),
        "the slip says where to sign in"
    );
    let users = app.store.users(LAI_CHAU).await.unwrap();
    assert_eq!(users.len(), 39);
    let officers: Vec<_> = users.iter().filter(|u| u.commune_code.is_some()).collect();
    let mut communes: Vec<_> = officers.iter().map(|u| u.commune_code.clone()).collect();
    communes.dedup();
    assert_eq!(communes.len(), 38, "one officer per commune");
    assert!(officers.iter().all(|u| u.must_change_password));

    // A slip's password signs in, and its owner must choose her own before anything else.
    let (username, password) = &slips[0];
    assert!(
        username.starts_with("xa-") || username.starts_with("phuong-"),
        "{username}"
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = app.try_sign_in(&client, username, password).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/account");
    // Typing the slip's password again as the new one does not count as choosing her own.
    let account = client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let kept = client
        .post(app.url("/account/password"))
        .form(&[
            ("current", password.as_str()),
            ("password", password.as_str()),
            ("confirm", password.as_str()),
            ("csrf", &csrf_of(&account)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kept
        .text()
        .await
        .unwrap()
        .contains("Mật khẩu mới phải khác mật khẩu hiện tại"));
    assert!(
        app.store
            .user_by_username(username)
            .await
            .unwrap()
            .must_change_password
    );

    // The passwords are nowhere else: not on the users page, not in the audit log.
    let list = admin.get("/admin/users").await.text().await.unwrap();
    let audit = admin.get("/admin/audit.csv").await.text().await.unwrap();
    assert!(!list.contains(password.as_str()) && !audit.contains(password.as_str()));
    assert_eq!(audit.matches("Tạo tài khoản").count(), 39, "{audit}");

    // A second time there is nothing left to do.
    let again = post_onboarding(&admin, "every_commune", None).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("đều đã có tài khoản cán bộ"));
    assert_eq!(app.store.users(LAI_CHAU).await.unwrap().len(), 39);
}

#[tokio::test]
async fn a_list_of_people_becomes_accounts_named_after_communes_or_as_chosen() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let csv =
        "Danh sách cán bộ phụ trách\n\nTT,Tên đăng nhập,Họ và tên,Xã/phường,Số điện thoại,E-mail\n\
               1,,Lê Thị Hoa,Xuân Bình,0912.345.678,hoa@xuanbinh.vn\n\
               2,nam.hacthanh,Trần Văn Nam,Phường Hạc Thành,,\n\
               3,,Phạm Thu Hà,16177,+84 983 111 222,\n";
    let answer = post_onboarding(
        &admin,
        "sheet",
        Some(("can-bo.csv", csv.as_bytes().to_vec())),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let page = answer.text().await.unwrap();
    let usernames: Vec<String> = slips(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(
        usernames,
        ["xa-xuan-binh", "nam.hacthanh", "xa-xuan-binh-16177"],
        "a second officer of a commune gets its code"
    );
    assert!(page.contains("Lê Thị Hoa") && page.contains("0912 345 678"));
    let hoa = app.store.user_by_username("xa-xuan-binh").await.unwrap();
    assert_eq!(hoa.commune_code.as_deref(), Some(XUAN_BINH));
    assert_eq!(hoa.phone.unwrap().as_str(), "0912345678");
    assert_eq!(
        hoa.email.as_deref(),
        Some("hoa@xuanbinh.vn"),
        "reminders reach her"
    );
    let nam = app.store.user_by_username("nam.hacthanh").await.unwrap();
    assert_eq!(nam.commune_code.as_deref(), Some(HAC_THANH));

    // The same list sent again creates nobody twice.
    let again = post_onboarding(
        &admin,
        "sheet",
        Some(("can-bo.csv", csv.as_bytes().to_vec())),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.text().await.unwrap();
    assert!(
        again.contains("Dòng 4: Lê Thị Hoa đã có tài khoản «xa-xuan-binh» ở Xã Xuân Bình"),
        "{again}"
    );
    // Several officers of one commune, none named: each gets the next free name.
    let three =
        "Họ và tên,Xã/phường\nA Một,Hạc Thành\nB Hai,Hạc Thành\nC Ba,Hạc Thành\nA Một,Hạc Thành\n";
    let refused =
        post_onboarding(&admin, "sheet", Some(("ba.csv", three.as_bytes().to_vec()))).await;
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Dòng 5: A Một ở Phường Hạc Thành đã có ở dòng 2."));
    let three = &three[..three.len() - "A Một,Hạc Thành\n".len()];
    let page = post_onboarding(&admin, "sheet", Some(("ba.csv", three.as_bytes().to_vec())))
        .await
        .text()
        .await
        .unwrap();
    let usernames: Vec<String> = slips(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(
        usernames,
        [
            "phuong-hac-thanh",
            "phuong-hac-thanh-14797",
            "phuong-hac-thanh-14797-2"
        ]
    );
}

#[tokio::test]
async fn one_wrong_row_creates_no_account_and_names_every_row_to_fix() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    app.add_user("taken.name", "viewer", None).await;
    let before = app.store.users(PROVINCE).await.unwrap().len();
    let csv = "Tên đăng nhập,Họ và tên,Xã/phường,Số điện thoại\n\
               ,Lê Thị Hoa,Xuân Bình,0912345678\n\
               ,Trần Văn Nam,Xuân Bìh,\n\
               taken.name,Phạm Thu Hà,Hạc Thành,\n\
               ,Đỗ Văn Tú,Hạc Thành,12345\n\
               ,Ngô Lan,Hoàn Kiếm,\n";
    let answer = post_onboarding(
        &admin,
        "sheet",
        Some(("can-bo.csv", csv.as_bytes().to_vec())),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    for expected in [
        "Chưa tài khoản nào được tạo",
        "Dòng 3: không có xã/phường «Xuân Bìh» trong tỉnh. Có phải «Xã Xuân Bình»?",
        "Dòng 4: tên đăng nhập «taken.name» đã có người dùng",
        "Dòng 5: Số điện thoại «12345» không đủ hoặc thừa chữ số",
        "Dòng 6: không có xã/phường «Hoàn Kiếm» trong tỉnh.",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    assert!(!page.contains("Dòng 2:"), "the good row is not blamed");
    assert_eq!(app.store.users(PROVINCE).await.unwrap().len(), before);

    let not_a_list = post_onboarding(
        &admin,
        "sheet",
        Some(("x.csv", b"Ten,Dia chi\nA,B\n".to_vec())),
    )
    .await;
    assert_eq!(not_a_list.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_a_list
        .text()
        .await
        .unwrap()
        .contains("Không tìm thấy dòng tiêu đề"));
    let no_file = post_onboarding(&admin, "sheet", None).await;
    assert_eq!(no_file.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_blank_list_downloads_and_reads_back() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let users = admin.get("/admin/users").await.text().await.unwrap();
    assert!(users.contains("href=\"/admin/users/onboard\""));
    let blank = admin
        .get("/admin/users/onboard/mau-tai-khoan-can-bo.xlsx")
        .await;
    assert_eq!(blank.status(), StatusCode::OK);
    let bytes = blank.bytes().await.unwrap().to_vec();
    let answer = post_onboarding(&admin, "sheet", Some(("mau.xlsx", bytes))).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer
        .text()
        .await
        .unwrap()
        .contains("không có dòng nào dưới tiêu đề"));
}

#[tokio::test]
async fn an_admin_gives_a_lost_password_a_new_slip_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let officer = app
        .add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let admin = app.sign_in(ADMIN).await;
    let answer = admin
        .post_form(&format!("/admin/users/{}/slip", officer.id), &[])
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let page = answer.text().await.unwrap();
    assert!(page.contains("Mật khẩu mới của hoa.xuanbinh"));
    let (username, password) = slips(&page).pop().unwrap();
    assert_eq!(username, "hoa.xuanbinh");
    let user = app.store.user(officer.id).await.unwrap();
    assert!(user.must_change_password);
    assert!(app
        .store
        .password_matches(user.id, &password)
        .await
        .unwrap());
    assert!(!app.store.password_matches(user.id, PASSWORD).await.unwrap());

    let reset = admin
        .post_form(
            &format!("/admin/users/{}/password", officer.id),
            &[("password", "một mật khẩu mới dài")],
        )
        .await;
    let next = reset.headers()["location"].to_str().unwrap().to_string();
    assert!(admin
        .get(&next)
        .await
        .text()
        .await
        .unwrap()
        .contains("id=\"password-reset\""));
}
