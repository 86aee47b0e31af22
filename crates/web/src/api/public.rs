//! The public team finder as JSON, without a token: the same data as the public pages (names and phones only
//! of leaders and deputies who consented), rate-limited per address like them.

use super::extract::{ApiPath, ApiQuery};
use super::views::CommuneView;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use cnscd_domain::role::Role;
use cnscd_services::public::{self, PublicCommune};
use cnscd_store::{PublicTeam, StoredContact};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FinderQuery {
    /// Words of the commune's name, with or without diacritics (at most 100 characters); empty lists all.
    pub q: Option<String>,
}

/// Someone a citizen may call about the team.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicContactView {
    pub full_name: String,
    pub role: Role,
    /// National form, `0914994123`; absent when the registry has none.
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDecisionView {
    pub number: String,
    /// `YYYY-MM-DD`
    pub signed_on: chrono::NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicTeamView {
    pub id: i64,
    pub commune_code: String,
    pub name: String,
    /// The leader and deputies who consented to be contacted publicly; empty: call the commune's contact.
    pub contacts: Vec<PublicContactView>,
    /// The latest decision establishing or reorganising the team.
    pub decision: Option<PublicDecisionView>,
}

impl From<PublicTeam> for PublicTeamView {
    fn from(team: PublicTeam) -> Self {
        Self {
            id: team.id,
            commune_code: team.commune_code,
            name: team.name,
            contacts: team
                .contacts
                .into_iter()
                .map(|c| PublicContactView {
                    full_name: c.full_name,
                    role: c.role,
                    phone: c.phone,
                })
                .collect(),
            decision: team
                .decision
                .map(|(number, signed_on)| PublicDecisionView { number, signed_on }),
        }
    }
}

/// The commune's own public contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneContactView {
    /// Who answers: `Văn phòng UBND xã`.
    pub label: String,
    /// National form.
    pub phone: String,
}

impl From<StoredContact> for CommuneContactView {
    fn from(contact: StoredContact) -> Self {
        Self {
            label: contact.label,
            phone: contact.phone,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCommuneView {
    pub commune: CommuneView,
    pub contact: Option<CommuneContactView>,
    pub teams: Vec<PublicTeamView>,
}

impl From<PublicCommune> for PublicCommuneView {
    fn from(found: PublicCommune) -> Self {
        Self {
            commune: found.commune.into(),
            contact: found.contact.map(Into::into),
            teams: found.teams.into_iter().map(Into::into).collect(),
        }
    }
}

/// Communes of the province whose name holds every word typed (no sign-in).
#[utoipa::path(get, path = "/api/public/communes", tag = "public", security(()), params(FinderQuery),
    responses((status = 200, body = Vec<CommuneView>), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn communes(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FinderQuery>,
) -> Result<Json<Vec<CommuneView>>, ApiError> {
    let found = public::communes(
        &state.store,
        &state.settings.public_province,
        query.q.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// A commune's active teams with their public contacts (no sign-in).
#[utoipa::path(get, path = "/api/public/communes/{code}", tag = "public", security(()),
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")),
    responses((status = 200, body = PublicCommuneView), (status = 404, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn commune(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<PublicCommuneView>, ApiError> {
    Ok(Json(
        public::commune(&state.store, &state.settings.public_province, &code)
            .await?
            .into(),
    ))
}

/// One active team with its public contacts and its commune's (no sign-in).
#[utoipa::path(get, path = "/api/public/teams/{id}", tag = "public", security(()),
    params(("id" = i64, Path, description = "Mã tổ")),
    responses((status = 200, body = PublicCommuneView), (status = 404, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn team(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PublicCommuneView>, ApiError> {
    let (team, mut commune) =
        public::team(&state.store, &state.settings.public_province, id).await?;
    commune.teams = vec![team];
    Ok(Json(commune.into()))
}
