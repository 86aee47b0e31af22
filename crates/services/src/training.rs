//! Training classes: the Department opens, edits, copies and cancels them and marks attendance; a commune
//! officer registers her own commune's leaders and deputies, and withdraws them before the deadline.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::round::show_instant;
use cnscd_domain::text::clean_text;
use cnscd_domain::training::{Attendance, ClassDraft};
use cnscd_domain::FieldError;
use cnscd_store::{Member, MemberFilter, PageRequest, Registration, Store, TrainingClass};

/// A class of the caller's province, or "not found".
pub async fn class(store: &Store, caller: &Caller, class_id: i64) -> Result<TrainingClass, Error> {
    match store.training_class(class_id).await {
        Ok(class) if class.province_code == caller.province_code() => Ok(class),
        Ok(_) | Err(cnscd_store::StoreError::NotFound(_)) => Err(Error::NotFound("lớp tập huấn")),
        Err(other) => Err(other.into()),
    }
}

pub async fn classes(store: &Store, caller: &Caller) -> Result<Vec<TrainingClass>, Error> {
    Ok(store.training_classes(caller.province_code()).await?)
}

pub async fn create(
    store: &Store,
    caller: &Caller,
    draft: &ClassDraft,
) -> Result<TrainingClass, Error> {
    scope::admin(caller)?;
    let valid = draft.validate()?;
    if valid.starts_at <= store.clock().now() {
        return Err(FieldError::new(
            "starts_at",
            "class_in_past",
            format!(
                "Lớp bắt đầu {} là thời điểm đã qua: hãy chọn ngày giờ sắp tới.",
                show_instant(valid.starts_at)
            ),
        )
        .into());
    }
    Ok(store
        .create_class(caller.province_code(), &valid, &caller.actor())
        .await?)
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    version: i64,
    draft: &ClassDraft,
) -> Result<TrainingClass, Error> {
    scope::admin(caller)?;
    class(store, caller, class_id).await?;
    let valid = draft.validate()?;
    Ok(store
        .update_class(class_id, version, &valid, &caller.actor())
        .await?)
}

const MAX_REASON_CHARS: usize = 500;

pub async fn cancel(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    version: i64,
    reason: &str,
) -> Result<TrainingClass, Error> {
    scope::admin(caller)?;
    class(store, caller, class_id).await?;
    let reason = clean_text(reason);
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            "reason_required",
            format!("Hãy ghi lý do huỷ lớp (tối đa {MAX_REASON_CHARS} ký tự): người đã đăng ký sẽ thấy."),
        )
        .into());
    }
    Ok(store
        .cancel_class(class_id, version, &reason, &caller.actor())
        .await?)
}

/// Registers a member: an officer only her commune's (another's member is "not found"), a province admin
/// anyone of the province.
pub async fn register(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    member_id: i64,
) -> Result<Registration, Error> {
    class(store, caller, class_id).await?;
    scope::member(store, caller, member_id, Intent::Change).await?;
    let late = caller.access().is_admin();
    Ok(store
        .register_for_class(class_id, member_id, late, &caller.actor())
        .await?)
}

/// A registration the caller may read (her commune's, or the province's).
pub async fn registration(
    store: &Store,
    caller: &Caller,
    registration_id: i64,
    intent: Intent,
) -> Result<Registration, Error> {
    let registration = store.registration(registration_id).await?;
    let class = class(store, caller, registration.class_id)
        .await
        .map_err(|_| Error::NotFound("đăng ký"))?;
    scope::check(
        caller,
        &class.province_code,
        &registration.commune_code,
        intent,
        "đăng ký",
    )?;
    Ok(registration)
}

pub async fn withdraw(
    store: &Store,
    caller: &Caller,
    registration_id: i64,
) -> Result<Registration, Error> {
    registration(store, caller, registration_id, Intent::Change).await?;
    let late = caller.access().is_admin();
    Ok(store
        .withdraw_registration(registration_id, late, &caller.actor())
        .await?)
}

/// The Department marks who came.
pub async fn mark_attendance(
    store: &Store,
    caller: &Caller,
    registration_id: i64,
    attendance: &str,
) -> Result<Registration, Error> {
    scope::admin(caller)?;
    registration(store, caller, registration_id, Intent::Change).await?;
    let attendance = Attendance::parse(attendance)?;
    Ok(store
        .mark_attendance(registration_id, attendance, &caller.actor())
        .await?)
}

/// A class's registrations the caller may read: an officer's commune's, or every commune's.
pub async fn registrations(
    store: &Store,
    caller: &Caller,
    class_id: i64,
) -> Result<Vec<Registration>, Error> {
    class(store, caller, class_id).await?;
    let commune = caller.user.commune_code.as_deref();
    Ok(store.class_registrations(class_id, commune, false).await?)
}

/// Communes with nobody registered (province accounts).
pub async fn communes_without_registration(
    store: &Store,
    caller: &Caller,
    class_id: i64,
) -> Result<Vec<(String, String)>, Error> {
    scope::whole_province(caller)?;
    class(store, caller, class_id).await?;
    Ok(store
        .communes_without_registration(class_id, caller.province_code())
        .await?)
}

/// A person the officer may register, with the classes she already attended.
pub struct Candidate {
    pub member: Member,
    pub attended: Vec<String>,
    /// Registered for this class already.
    pub registered: bool,
}

/// The commune's active members whose role the class admits, in Vietnamese order.
pub async fn candidates(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    commune_code: &str,
) -> Result<Vec<Candidate>, Error> {
    let class = class(store, caller, class_id).await?;
    scope::commune(store, caller, commune_code, Intent::Read).await?;
    let filter = MemberFilter {
        province_code: Some(caller.province_code().to_string()),
        commune_code: Some(commune_code.to_string()),
        ..Default::default()
    };
    let mut members = Vec::new();
    // A commune holds at most a few hundred people: bounded by its teams and the province's team size.
    for page in 1.. {
        let found = store
            .members(&filter, PageRequest::new(Some(page), Some(500)))
            .await?;
        let last = found.items.len() < 500;
        members.extend(
            found
                .items
                .into_iter()
                .filter(|m| class.audience.admits(m.role)),
        );
        if last {
            break;
        }
    }
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let history = store.member_trainings(&ids).await?;
    Ok(members
        .into_iter()
        .map(|member| {
            let mine = history.iter().filter(|(r, _)| r.member_id == member.id);
            Candidate {
                attended: mine
                    .clone()
                    .filter(|(r, _)| r.attendance == Some(Attendance::Present))
                    .map(|(_, k)| format!("{} ({})", k.topic, show_instant(k.starts_at)))
                    .collect(),
                registered: mine.clone().any(|(r, _)| r.class_id == class_id),
                member,
            }
        })
        .collect())
}

/// A member's classes (registered, waiting, attended), newest first.
pub async fn of_member(
    store: &Store,
    caller: &Caller,
    member_id: i64,
) -> Result<Vec<(Registration, TrainingClass)>, Error> {
    scope::member(store, caller, member_id, Intent::Read).await?;
    Ok(store.member_trainings(&[member_id]).await?)
}

pub(crate) fn registration_line(r: &Registration) -> Vec<String> {
    vec![
        r.full_name.clone(),
        r.role.label().to_string(),
        r.team_name.clone(),
        r.commune_name.clone(),
        r.phone
            .clone()
            .map(|p| cnscd_domain::phone::Phone::from_stored(p).grouped())
            .unwrap_or_default(),
    ]
}

/// The class roster (`.xlsx`): everyone seated, then the waiting list, with commune, team, role and phone.
pub async fn roster_workbook(
    store: &Store,
    caller: &Caller,
    class_id: i64,
) -> Result<(String, Vec<u8>), Error> {
    let class = class(store, caller, class_id).await?;
    let rows: Vec<Vec<String>> = registrations(store, caller, class_id)
        .await?
        .iter()
        .map(|r| {
            let mut line = registration_line(r);
            line.push(r.seat.label().to_string());
            line.push(
                r.attendance
                    .map(Attendance::label)
                    .unwrap_or("")
                    .to_string(),
            );
            line
        })
        .collect();
    let sheet = cnscd_excel::ListingSheet {
        sheet_name: "Danh sách học viên".into(),
        title: format!("DANH SÁCH HỌC VIÊN — {}", class.topic.to_uppercase()),
        subtitle: class_subtitle(&class),
        columns: vec![
            ("Họ và tên".into(), 24.0),
            ("Chức vụ".into(), 12.0),
            ("Tổ".into(), 24.0),
            ("Xã/phường".into(), 20.0),
            ("Số điện thoại".into(), 14.0),
            ("Chỗ".into(), 14.0),
            ("Điểm danh".into(), 12.0),
        ],
        rows,
        landscape: true,
        row_height: None,
    };
    let bytes = tokio::task::spawn_blocking(move || cnscd_excel::listing_xlsx(&sheet))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok((format!("danh-sach-hoc-vien-lop-{class_id}.xlsx"), bytes))
}

/// A sign-in sheet to print (`.xlsx`, A4 portrait): the seated people with a column to sign.
pub async fn sign_in_workbook(
    store: &Store,
    caller: &Caller,
    class_id: i64,
) -> Result<(String, Vec<u8>), Error> {
    scope::whole_province(caller)?;
    let class = class(store, caller, class_id).await?;
    let rows: Vec<Vec<String>> = registrations(store, caller, class_id)
        .await?
        .iter()
        .filter(|r| r.seat == cnscd_domain::training::Seat::Seated)
        .map(registration_line)
        .collect();
    let sheet = cnscd_excel::ListingSheet {
        sheet_name: "Danh sách ký nhận".into(),
        title: format!("DANH SÁCH KÝ NHẬN THAM DỰ — {}", class.topic.to_uppercase()),
        subtitle: class_subtitle(&class),
        columns: vec![
            ("Họ và tên".into(), 22.0),
            ("Chức vụ".into(), 10.0),
            ("Tổ".into(), 18.0),
            ("Xã/phường".into(), 16.0),
            ("Số điện thoại".into(), 13.0),
            ("Ký tên".into(), 14.0),
        ],
        rows,
        landscape: false,
        row_height: Some(30.0),
    };
    let bytes = tokio::task::spawn_blocking(move || cnscd_excel::listing_xlsx(&sheet))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok((format!("danh-sach-ky-nhan-lop-{class_id}.xlsx"), bytes))
}

pub(crate) fn class_subtitle(class: &TrainingClass) -> String {
    let place = if class.venue.is_empty() {
        class.online_link.clone()
    } else {
        class.venue.clone()
    };
    format!(
        "{} – {}; {}",
        show_instant(class.starts_at),
        show_instant(class.ends_at),
        place
    )
}
