//! What the API answers: its own types, built from the store's records field by field, so that a column added
//! to a table does not silently change the public contract.

use chrono::NaiveDate;
use cnscd_domain::decision::DecisionKind;
use cnscd_domain::role::Role;
use cnscd_domain::team::TeamStatus;
use cnscd_services::phones::PhoneWarning;
use cnscd_store::{
    Commune, CommuneHit, CommuneSummary, Decision, Member, MemberHit, Page, ProvinceOverview,
    SearchResults, Team, TeamHit,
};
use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list and how long the whole list is.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> PageView<T> {
    pub fn of<R>(page: Page<R>, view: impl Fn(R) -> T) -> Self {
        Self {
            items: page.items.into_iter().map(view).collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Commune)]
pub struct CommuneView {
    /// Official 5-digit code.
    pub code: String,
    pub province_code: String,
    pub name: String,
    /// `xã`, `phường` or `đặc khu`.
    pub kind: String,
}

impl From<Commune> for CommuneView {
    fn from(c: Commune) -> Self {
        Self {
            code: c.code,
            province_code: c.province_code,
            name: c.name,
            kind: c.kind,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Team)]
pub struct TeamView {
    pub id: i64,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
    pub name: String,
    pub note: String,
    pub status: TeamStatus,
    pub dissolved_on: Option<NaiveDate>,
    /// Increases at every save; send it back when updating so that a concurrent change is detected.
    pub version: i64,
    /// Active members.
    pub members: i64,
    pub members_without_phone: i64,
    /// The active leader's name.
    pub leader: Option<String>,
    /// The latest decision covering the team.
    pub decision_number: Option<String>,
    pub decision_signed_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Team> for TeamView {
    fn from(t: Team) -> Self {
        Self {
            id: t.id,
            province_code: t.province_code,
            commune_code: t.commune_code,
            commune_name: t.commune_name,
            name: t.name,
            note: t.note,
            status: t.status,
            dissolved_on: t.dissolved_on,
            version: t.version,
            members: t.members,
            members_without_phone: t.members_without_phone,
            leader: t.leader,
            decision_number: t.decision_number,
            decision_signed_on: t.decision_signed_on,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Member)]
pub struct MemberView {
    pub id: i64,
    pub team_id: i64,
    pub team_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
    pub full_name: String,
    pub role: Role,
    /// National form, e.g. `0914994123`.
    pub phone: Option<String>,
    pub note: String,
    pub joined_on: Option<NaiveDate>,
    /// The day the member left the team; empty while active.
    pub left_on: Option<NaiveDate>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            id: m.id,
            team_id: m.team_id,
            team_name: m.team_name,
            province_code: m.province_code,
            commune_code: m.commune_code,
            commune_name: m.commune_name,
            full_name: m.full_name,
            role: m.role,
            phone: m.phone,
            note: m.note,
            joined_on: m.joined_on,
            left_on: m.left_on,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A phone also held by another active member: a warning, not an error. It names the other member and team
/// only when the caller may read them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PhoneWarning)]
pub struct PhoneWarningView {
    pub phone: String,
    pub message: String,
    pub member_id: Option<i64>,
    pub team_id: Option<i64>,
}

impl From<PhoneWarning> for PhoneWarningView {
    fn from(w: PhoneWarning) -> Self {
        Self {
            phone: w.phone,
            message: w.message,
            member_id: w.member_id,
            team_id: w.team_id,
        }
    }
}

pub fn warning_views(warnings: Vec<PhoneWarning>) -> Vec<PhoneWarningView> {
    warnings.into_iter().map(Into::into).collect()
}

/// A saved member and the warnings the save raised.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MemberSaved)]
pub struct MemberSavedView {
    pub member: MemberView,
    pub warnings: Vec<PhoneWarningView>,
}

impl From<cnscd_services::members::MemberSaved> for MemberSavedView {
    fn from(saved: cnscd_services::members::MemberSaved) -> Self {
        Self {
            member: saved.member.into(),
            warnings: warning_views(saved.warnings),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Decision)]
pub struct DecisionView {
    pub id: i64,
    pub commune_code: String,
    pub number: String,
    pub signed_on: NaiveDate,
    pub signer: String,
    pub kind: DecisionKind,
    pub version: i64,
    /// The teams it establishes or reorganises.
    pub team_ids: Vec<i64>,
}

impl From<Decision> for DecisionView {
    fn from(d: Decision) -> Self {
        Self {
            id: d.id,
            commune_code: d.commune_code,
            number: d.number,
            signed_on: d.signed_on,
            signer: d.signer,
            kind: d.kind,
            version: d.version,
            team_ids: d.team_ids,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CommuneSummary)]
pub struct CommuneSummaryView {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub teams: i64,
    pub members: i64,
    pub teams_without_leader: i64,
    pub teams_without_decision: i64,
    pub teams_understaffed: i64,
    pub members_without_phone: i64,
}

impl From<CommuneSummary> for CommuneSummaryView {
    fn from(c: CommuneSummary) -> Self {
        Self {
            code: c.code,
            name: c.name,
            kind: c.kind,
            teams: c.teams,
            members: c.members,
            teams_without_leader: c.teams_without_leader,
            teams_without_decision: c.teams_without_decision,
            teams_understaffed: c.teams_understaffed,
            members_without_phone: c.members_without_phone,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProvinceOverview)]
pub struct OverviewView {
    pub province_code: String,
    pub province_name: String,
    pub communes: Vec<CommuneSummaryView>,
    /// Sums over all communes (`code` and `name` empty).
    pub totals: CommuneSummaryView,
    pub communes_without_team: i64,
}

impl From<ProvinceOverview> for OverviewView {
    fn from(o: ProvinceOverview) -> Self {
        Self {
            province_code: o.province_code,
            province_name: o.province_name,
            communes: o.communes.into_iter().map(Into::into).collect(),
            totals: o.totals.into(),
            communes_without_team: o.communes_without_team,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CommuneHit)]
pub struct CommuneHitView {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TeamHit)]
pub struct TeamHitView {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub commune_code: String,
    pub commune_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MemberHit)]
pub struct MemberHitView {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub team_id: i64,
    pub team_name: String,
    pub commune_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchResults)]
pub struct SearchView {
    pub query: String,
    pub communes: Vec<CommuneHitView>,
    pub teams: Vec<TeamHitView>,
    pub members: Vec<MemberHitView>,
}

impl From<SearchResults> for SearchView {
    fn from(r: SearchResults) -> Self {
        let commune = |h: CommuneHit| CommuneHitView {
            code: h.code,
            name: h.name,
        };
        let team = |h: TeamHit| TeamHitView {
            id: h.id,
            name: h.name,
            status: h.status,
            commune_code: h.commune_code,
            commune_name: h.commune_name,
        };
        let member = |h: MemberHit| MemberHitView {
            id: h.id,
            full_name: h.full_name,
            role: h.role,
            phone: h.phone,
            team_id: h.team_id,
            team_name: h.team_name,
            commune_name: h.commune_name,
        };
        Self {
            query: r.query,
            communes: r.communes.into_iter().map(commune).collect(),
            teams: r.teams.into_iter().map(team).collect(),
            members: r.members.into_iter().map(member).collect(),
        }
    }
}
