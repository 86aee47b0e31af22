//! E-mail reminders of a round, sent through a local SMTP server the test starts: only the communes that
//! still owe a report are written to, at their officers' addresses; those without an address are named.

use crate::helpers::*;
use cnscd_domain::account::AccountDraft;
use cnscd_store::Actor;
use reqwest::StatusCode;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the SMTP server received it: its recipients and its raw text.
#[derive(Debug, Clone)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

/// A minimal SMTP server on loopback that accepts every message and keeps it.
async fn smtp_sink() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
    let kept = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost ESMTP\r\n").await.unwrap();
                let mut recipients = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.to_ascii_uppercase();
                    let answer: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                        b"250-localhost\r\n250 8BITMIME\r\n"
                    } else if verb.starts_with("RCPT TO:") {
                        recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 OK\r\n"
                    } else if verb == "DATA" {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(part)) = lines.next_line().await {
                            if part == "." {
                                break;
                            }
                            data.push_str(&part);
                            data.push('\n');
                        }
                        inbox.lock().unwrap().push(Received {
                            recipients: std::mem::take(&mut recipients),
                            data,
                        });
                        b"250 OK\r\n"
                    } else if verb == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (format!("smtp://{address}"), inbox)
}

async fn officer_with_email(app: &TestApp, username: &str, commune: &str, email: &str) {
    let account = AccountDraft {
        username: username.into(),
        full_name: "Lê Thị Hoa".into(),
        role: "commune_officer".into(),
        commune_code: commune.into(),
        phone: "0912345678".into(),
        email: email.into(),
        password: PASSWORD.into(),
    }
    .validate()
    .unwrap();
    app.store
        .create_user(PROVINCE, &account, &Actor::command_line())
        .await
        .unwrap();
}

#[tokio::test]
async fn reminders_go_by_email_only_to_communes_that_still_owe_a_report() {
    let (smtp_url, inbox) = smtp_sink().await;
    let settings = cnscd_web::WebSettings {
        mailer: Some(
            cnscd_services::mail::Mailer::new(&smtp_url, "Sở KH&CN <cnscd@skhcn.thanhhoa.gov.vn>")
                .unwrap(),
        ),
        ..Default::default()
    };
    let app = spawn_app_with(settings).await;
    officer_with_email(&app, "xuanbinh", XUAN_BINH, "hoa@xuanbinh.vn").await;
    officer_with_email(&app, "hacthanh", HAC_THANH, "lan@hacthanh.vn").await;
    let id = app
        .open_round(
            serde_json::json!({"title": "Báo cáo tháng 11", "deadline": days_ahead(10),
                                       "indicators": ["sessions_held"]}),
        )
        .await;
    // Hạc Thành has submitted: nothing to remind it of.
    app.submit_report(id, HAC_THANH, serde_json::json!({"sessions_held": 2}))
        .await;

    let admin = app.sign_in(ADMIN).await;
    let board = admin
        .get(&format!("/rounds/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(board.contains("Gửi e-mail nhắc"));
    let sent = admin.post_form(&format!("/rounds/{id}/remind"), &[]).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let page = sent.text().await.unwrap();
    assert!(page.contains("Đã gửi e-mail nhắc tới 1 địa chỉ."), "{page}");
    assert!(page.contains("164 xã/phường chưa có cán bộ nào khai e-mail"));

    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].recipients, vec!["hoa@xuanbinh.vn".to_string()]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("message.eml");
    std::fs::write(&path, &received[0].data).unwrap();
    let decoded = crate::workbook::python(
        "import sys, email, email.policy\n\
         m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)\n\
         print(m['subject']); print(m['to']); print(m.get_content())",
        &[path.to_str().unwrap()],
    );
    if let Some(decoded) = decoded {
        assert!(
            decoded.contains("Nhắc nộp báo cáo: Báo cáo tháng 11"),
            "{decoded}"
        );
        assert!(decoded.contains("Báo cáo «Báo cáo tháng 11» của Xã Xuân Bình chưa được nộp"));
        assert!(decoded.contains("Kính gửi Lê Thị Hoa"));
    }
    // An officer cannot send reminders; without an SMTP server the page says how to remind instead.
    let officer = app.sign_in("xuanbinh").await;
    let refused = officer
        .post_form(&format!("/rounds/{id}/remind"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_an_smtp_server_the_board_offers_the_message_to_copy() {
    let app = spawn_app().await;
    let round = app
        .open_round(serde_json::json!({"title": "Báo cáo tháng 11", "deadline": days_ahead(10)}))
        .await;
    let admin = app.sign_in(ADMIN).await;
    let board = admin
        .get(&format!("/rounds/{round}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(board.contains("máy chủ chưa cấu hình SMTP"));
    assert!(board.contains("Sao chép tin nhắn"));
    let refused = admin
        .post_form(&format!("/rounds/{round}/remind"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
