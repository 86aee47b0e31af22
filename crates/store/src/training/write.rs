//! Changing classes and registrations. A registration locks its class (the seats are counted) and its member
//! (her other classes are checked for overlap), so two officers taking the last seat at once get one seat and
//! one place on the waiting list, on SQLite and PostgreSQL alike.

use super::{class_in, registration_in, Registration, TrainingClass};
use crate::audit::{Action, Actor, ObjectKind, Place};
use crate::members::member_in;
use crate::teams::{require_active, team_state};
use crate::write::{Statement, Versioned, Write};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use cnscd_domain::clock::{parse_stamp, stamp, vietnam};
use cnscd_domain::round::show_instant;
use cnscd_domain::training::{overlaps, Attendance, Seat, ValidClass};
use cnscd_domain::FieldError;

fn versioned(class_id: i64, version: i64) -> Versioned {
    Versioned {
        table: "training_classes",
        what: "lớp tập huấn",
        id: class_id,
        version,
    }
}

fn province_place(province_code: &str) -> Place<'_> {
    Place {
        province_code,
        commune_code: None,
        team_id: None,
    }
}

fn not_now(field: &str, code: &'static str, message: String) -> StoreError {
    StoreError::NotNow(FieldError::new(field, code, message))
}

fn require_open(class: &TrainingClass) -> Result<(), StoreError> {
    if class.is_cancelled() {
        return Err(not_now(
            "class",
            "class_cancelled",
            format!(
                "Lớp «{}» đã huỷ ({}).",
                class.topic,
                class.cancel_reason.clone().unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// Registrations change until the deadline; the Department itself (`late`) until the class starts.
fn require_registration_open(
    w: &Write,
    class: &TrainingClass,
    late: bool,
) -> Result<(), StoreError> {
    require_open(class)?;
    let closes = if late {
        class.starts_at
    } else {
        class.registration_deadline
    };
    if w.clock().now() > closes {
        return Err(not_now(
            "class",
            "registration_closed",
            format!(
                "Đã hết hạn đăng ký lớp «{}» ({}): hãy liên hệ Sở nếu cần thay đổi.",
                class.topic,
                show_instant(class.registration_deadline)
            ),
        ));
    }
    Ok(())
}

/// Binds a class's columns as `$1…$10` (owned values: the statement's text is built by the write path).
fn bind_class<'s>(query: Statement<'s>, class: &ValidClass) -> Statement<'s> {
    query
        .bind(class.topic.clone())
        .bind(class.content.clone())
        .bind(stamp(class.starts_at))
        .bind(stamp(class.ends_at))
        .bind(class.venue.clone())
        .bind(class.online_link.clone())
        .bind(class.capacity)
        .bind(class.audience.code())
        .bind(stamp(class.registration_deadline))
        .bind(class.trainer.clone())
}

/// Gives free seats to the waiting list, in order of registering; returns who moved up.
async fn seat_the_waiting(w: &mut Write, class: &TrainingClass) -> Result<Vec<i64>, StoreError> {
    let free = class.free_seats();
    if free == 0 {
        return Ok(Vec::new());
    }
    let waiting: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM training_registrations WHERE class_id = $1 AND seat = 'waiting' ORDER BY id LIMIT $2",
    )
    .bind(class.id)
    .bind(free)
    .fetch_all(&mut **w)
    .await?;
    for id in &waiting {
        let before = w.snapshot(ObjectKind::Registration, *id).await?;
        sqlx::query("UPDATE training_registrations SET seat = 'seated' WHERE id = $1")
            .bind(id)
            .execute(&mut **w)
            .await?;
        let registration = registration_in(w, *id).await?;
        audit_registration(
            w,
            Action::TrainingSeatGiven,
            &registration,
            &class.province_code,
            before,
        )
        .await?;
    }
    Ok(waiting)
}

/// Another live registration of the member, in a class not cancelled, at a time overlapping `times`:
/// (topic, start, end).
async fn overlapping_class(
    w: &mut Write,
    member_id: i64,
    class_id: i64,
    times: (DateTime<Utc>, DateTime<Utc>),
) -> Result<Option<(String, DateTime<Utc>, DateTime<Utc>)>, StoreError> {
    let others: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT k.id, k.topic, k.starts_at, k.ends_at FROM training_registrations r \
         JOIN training_classes k ON k.id = r.class_id \
         WHERE r.member_id = $1 AND r.seat <> 'withdrawn' AND k.cancelled_at IS NULL AND k.id <> $2",
    )
    .bind(member_id)
    .bind(class_id)
    .fetch_all(&mut **w)
    .await?;
    Ok(others.into_iter().find_map(|(_, topic, starts, ends)| {
        let (starts, ends) = (parse_stamp(&starts)?, parse_stamp(&ends)?);
        overlaps((starts, ends), times).then_some((topic, starts, ends))
    }))
}

fn overlap_error(
    name: &str,
    (topic, starts, ends): (String, DateTime<Utc>, DateTime<Utc>),
) -> String {
    format!(
        "{name} đã đăng ký lớp «{topic}» ({} – {}) trùng giờ.",
        show_instant(starts),
        show_instant(ends)
    )
}

async fn audit_registration(
    w: &mut Write,
    action: Action,
    registration: &Registration,
    province_code: &str,
    before: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    let place = Place {
        province_code,
        commune_code: Some(&registration.commune_code),
        team_id: Some(registration.team_id),
    };
    w.audit_record(action, registration.id, place, before).await
}

/// A class moved to other times: not once attendance is marked (it would count people trained at a class
/// not held), and not onto times its registrants have another class.
async fn check_move(
    w: &mut Write,
    class: &TrainingClass,
    times: (DateTime<Utc>, DateTime<Utc>),
) -> Result<(), StoreError> {
    if class.present > 0 || marked(w, class.id).await? {
        return Err(FieldError::new(
            "starts_at",
            "attendance_marked",
            "Lớp đã điểm danh: không đổi ngày giờ được nữa. Nếu lớp học lại vào ngày khác, hãy sao chép thành lớp mới.",
        )
        .into());
    }
    let registrants: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.member_id, m.full_name FROM training_registrations r JOIN members m ON m.id = r.member_id \
         WHERE r.class_id = $1 AND r.seat <> 'withdrawn' ORDER BY m.sort_key",
    )
    .bind(class.id)
    .fetch_all(&mut **w)
    .await?;
    let mut clashes = Vec::new();
    for (member_id, name) in registrants {
        if let Some(other) = overlapping_class(w, member_id, class.id, times).await? {
            clashes.push(overlap_error(&name, other));
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(FieldError::new(
        "starts_at",
        "classes_overlap",
        format!(
            "Giờ mới trùng với lớp khác của người đã đăng ký: {} Hãy chọn giờ khác hoặc rút đăng ký của họ trước.",
            clashes.join(" ")
        ),
    )
    .into())
}

async fn marked(w: &mut Write, class_id: i64) -> Result<bool, StoreError> {
    let any: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM training_registrations WHERE class_id = $1 AND attendance IS NOT NULL LIMIT 1",
    )
    .bind(class_id)
    .fetch_optional(&mut **w)
    .await?;
    Ok(any.is_some())
}

impl Store {
    pub async fn create_class(
        &self,
        province_code: &str,
        class: &ValidClass,
        actor: &Actor,
    ) -> Result<TrainingClass, StoreError> {
        let mut w = self.write(actor).await?;
        let now = w.stamp();
        let row = bind_class(
            sqlx::query(
                "INSERT INTO training_classes (topic, content, starts_at, ends_at, venue, online_link, capacity, \
                   audience, registration_deadline, trainer, province_code, created_by, version, created_at, \
                   updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id",
            ),
            class,
        )
        .bind(province_code.to_string())
        .bind(actor.username.clone())
        .bind(now)
        .fetch_one(&mut *w)
        .await?;
        let id: i64 = sqlx::Row::try_get(&row, 0)?;
        w.audit_record(
            Action::TrainingClassCreate,
            id,
            province_place(province_code),
            None,
        )
        .await?;
        let created = class_in(&mut w, id).await?;
        w.commit().await?;
        Ok(created)
    }

    /// Edits a class. Its capacity cannot drop below the seats taken; a larger one seats the waiting list.
    pub async fn update_class(
        &self,
        class_id: i64,
        version: i64,
        class: &ValidClass,
        actor: &Actor,
    ) -> Result<TrainingClass, StoreError> {
        let mut w = self.write(actor).await?;
        w.lock("training_classes", class_id).await?;
        let current = class_in(&mut w, class_id).await?;
        require_open(&current)?;
        if class.capacity < current.seated {
            return Err(FieldError::new(
                "capacity",
                "capacity_below_seated",
                format!(
                    "Đã có {} người được nhận chỗ: số chỗ không được ít hơn số đó.",
                    current.seated
                ),
            )
            .into());
        }
        if (class.starts_at, class.ends_at) != (current.starts_at, current.ends_at) {
            check_move(&mut w, &current, (class.starts_at, class.ends_at)).await?;
        }
        let before = w.snapshot(ObjectKind::TrainingClass, class_id).await?;
        w.update_versioned(
            versioned(class_id, version),
            "topic = $1, content = $2, starts_at = $3, ends_at = $4, venue = $5, online_link = $6, \
             capacity = $7, audience = $8, registration_deadline = $9, trainer = $10",
            |q| bind_class(q, class),
        )
        .await?;
        w.audit_record(
            Action::TrainingClassUpdate,
            class_id,
            province_place(&current.province_code),
            before,
        )
        .await?;
        let updated = class_in(&mut w, class_id).await?;
        seat_the_waiting(&mut w, &updated).await?;
        let updated = class_in(&mut w, class_id).await?;
        w.commit().await?;
        Ok(updated)
    }

    /// Cancels a class; its registrations stay, and everyone registered sees the class cancelled with why.
    pub async fn cancel_class(
        &self,
        class_id: i64,
        version: i64,
        reason: &str,
        actor: &Actor,
    ) -> Result<TrainingClass, StoreError> {
        let mut w = self.write(actor).await?;
        let current = class_in(&mut w, class_id).await?;
        require_open(&current)?;
        let before = w.snapshot(ObjectKind::TrainingClass, class_id).await?;
        let now = w.stamp();
        let reason = reason.to_string();
        w.update_versioned(
            versioned(class_id, version),
            "cancelled_at = $1, cancel_reason = $2",
            |q| q.bind(now).bind(reason),
        )
        .await?;
        w.audit_record(
            Action::TrainingClassCancel,
            class_id,
            province_place(&current.province_code),
            before,
        )
        .await?;
        let cancelled = class_in(&mut w, class_id).await?;
        w.commit().await?;
        Ok(cancelled)
    }

    /// Registers an active member whose role the class admits: a seat while there are free seats, else the
    /// waiting list. Refused after the registration deadline, for a cancelled class, twice for one class, or
    /// when she is registered for another class at an overlapping time.
    pub async fn register_for_class(
        &self,
        class_id: i64,
        member_id: i64,
        late: bool,
        actor: &Actor,
    ) -> Result<Registration, StoreError> {
        let mut w = self.write(actor).await?;
        w.lock("training_classes", class_id).await?;
        w.lock("members", member_id).await?;
        let class = class_in(&mut w, class_id).await?;
        require_registration_open(&w, &class, late)?;
        let member = member_in(&mut w, member_id).await?;
        if !member.is_active() {
            return Err(FieldError::new(
                "member_id",
                "member_left",
                format!("{} đã rời tổ: không đăng ký được.", member.full_name),
            )
            .into());
        }
        require_active(&team_state(&mut w, member.team_id).await?)?;
        if !class.audience.admits(member.role) {
            return Err(FieldError::new(
                "member_id",
                "not_eligible",
                format!(
                    "{} là {}: lớp này dành cho {}.",
                    member.full_name,
                    member.role.label().to_lowercase(),
                    class.audience.label().to_lowercase()
                ),
            )
            .into());
        }
        let registered: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM training_registrations WHERE class_id = $1 AND member_id = $2 AND seat <> 'withdrawn'",
        )
        .bind(class_id)
        .bind(member_id)
        .fetch_optional(&mut *w)
        .await?;
        if registered.is_some() {
            return Err(not_now(
                "member_id",
                "already_registered",
                format!("{} đã được đăng ký lớp này.", member.full_name),
            ));
        }
        let times = (class.starts_at, class.ends_at);
        if let Some(other) = overlapping_class(&mut w, member_id, class_id, times).await? {
            return Err(FieldError::new(
                "member_id",
                "classes_overlap",
                overlap_error(&member.full_name, other),
            )
            .into());
        }
        let seat = if class.seated < class.capacity {
            Seat::Seated
        } else {
            Seat::Waiting
        };
        let now = w.stamp();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO training_registrations (class_id, member_id, commune_code, seat, registered_by, registered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(class_id)
        .bind(member_id)
        .bind(&member.commune_code)
        .bind(seat.code())
        .bind(&actor.username)
        .bind(&now)
        .fetch_one(&mut *w)
        .await?;
        let registration = registration_in(&mut w, id).await?;
        audit_registration(
            &mut w,
            Action::TrainingRegister,
            &registration,
            &class.province_code,
            None,
        )
        .await?;
        w.commit().await?;
        Ok(registration)
    }

    /// Withdraws a registration before the registration deadline; a seat it frees goes to the first waiting.
    pub async fn withdraw_registration(
        &self,
        registration_id: i64,
        late: bool,
        actor: &Actor,
    ) -> Result<Registration, StoreError> {
        let mut w = self.write(actor).await?;
        let class_id = registration_in(&mut w, registration_id).await?.class_id;
        w.lock("training_classes", class_id).await?;
        let registration = registration_in(&mut w, registration_id).await?;
        let class = class_in(&mut w, class_id).await?;
        require_registration_open(&w, &class, late)?;
        if registration.seat == Seat::Withdrawn {
            return Err(not_now(
                "registration",
                "already_withdrawn",
                format!("Đăng ký của {} đã rút rồi.", registration.full_name),
            ));
        }
        let before = w
            .snapshot(ObjectKind::Registration, registration_id)
            .await?;
        let now = w.stamp();
        sqlx::query(
            "UPDATE training_registrations SET seat = 'withdrawn', withdrawn_by = $1, withdrawn_at = $2 WHERE id = $3",
        )
        .bind(&actor.username)
        .bind(&now)
        .bind(registration_id)
        .execute(&mut *w)
        .await?;
        let withdrawn = registration_in(&mut w, registration_id).await?;
        audit_registration(
            &mut w,
            Action::TrainingWithdraw,
            &withdrawn,
            &class.province_code,
            before,
        )
        .await?;
        let class = class_in(&mut w, class_id).await?;
        seat_the_waiting(&mut w, &class).await?;
        w.commit().await?;
        Ok(withdrawn)
    }

    /// Records attendance of a seated registration, from the class's first day on.
    pub async fn mark_attendance(
        &self,
        registration_id: i64,
        attendance: Attendance,
        actor: &Actor,
    ) -> Result<Registration, StoreError> {
        let mut w = self.write(actor).await?;
        let registration = registration_in(&mut w, registration_id).await?;
        let class = class_in(&mut w, registration.class_id).await?;
        require_open(&class)?;
        if registration.seat != Seat::Seated {
            return Err(not_now(
                "registration",
                "not_seated",
                format!(
                    "{} không có chỗ trong lớp ({}): không điểm danh được.",
                    registration.full_name,
                    registration.seat.label().to_lowercase()
                ),
            ));
        }
        let first_day = class.starts_at.with_timezone(&vietnam()).date_naive();
        if w.clock().today() < first_day {
            return Err(not_now(
                "attendance",
                "class_not_started",
                format!(
                    "Lớp bắt đầu {}: điểm danh từ ngày học.",
                    show_instant(class.starts_at)
                ),
            ));
        }
        let before = w
            .snapshot(ObjectKind::Registration, registration_id)
            .await?;
        let now = w.stamp();
        sqlx::query(
            "UPDATE training_registrations SET attendance = $1, attendance_by = $2, attendance_at = $3 WHERE id = $4",
        )
        .bind(attendance.code())
        .bind(&actor.username)
        .bind(&now)
        .bind(registration_id)
        .execute(&mut *w)
        .await?;
        let marked = registration_in(&mut w, registration_id).await?;
        audit_registration(
            &mut w,
            Action::TrainingAttendance,
            &marked,
            &class.province_code,
            before,
        )
        .await?;
        w.commit().await?;
        Ok(marked)
    }
}
