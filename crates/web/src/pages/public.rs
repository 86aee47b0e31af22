//! The public team finder: pages anyone may open without signing in, small and script-free for a slow phone,
//! and the A5 posters for the village notice board. What they show comes from `cnscd_services::public`:
//! names and phones only of leaders and deputies who consented.

use super::{render, Vietnamese as _};
use crate::error::PageError;
use crate::qr;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use cnscd_domain::date::format_date;
use cnscd_domain::public::TASK_AREAS;
use cnscd_services::public::{self, PublicCommune};
use cnscd_store::{Commune, PublicTeam, StoredContact};
use serde::Deserialize;

/// What every public page shows around its content.
pub struct PublicLayout {
    pub title: String,
    pub province_name: String,
}

impl PublicLayout {
    async fn new(state: &AppState, title: impl Into<String>) -> Result<Self, PageError> {
        let province = state
            .store
            .province(&state.settings.public_province)
            .await
            .map_err(crate::error::Error::from)?;
        Ok(Self {
            title: title.into(),
            province_name: province.name,
        })
    }
}

/// Someone a citizen may call: a consenting leader or deputy, or the commune's contact.
pub struct Callable {
    pub name: String,
    pub role: &'static str,
    pub phone: Option<Dial>,
}

/// A phone as shown (`0914 994 123`) and as a link that dials it (`tel:0914994123`).
pub struct Dial {
    pub shown: String,
    pub tel: String,
}

impl Dial {
    fn of(national: &str) -> Self {
        Self {
            shown: cnscd_domain::phone::Phone::from_stored(national.to_string()).grouped(),
            tel: format!("tel:{national}"),
        }
    }
}

pub struct TeamCard {
    pub id: i64,
    pub name: String,
    pub contacts: Vec<Callable>,
    /// `Quyết định số 01/QĐ-UBND ngày 10/07/2025`
    pub decision: Option<String>,
}

impl From<&PublicTeam> for TeamCard {
    fn from(team: &PublicTeam) -> Self {
        Self {
            id: team.id,
            name: team.name.clone(),
            contacts: team
                .contacts
                .iter()
                .map(|c| Callable {
                    name: c.full_name.clone(),
                    role: c.role.label(),
                    phone: c.phone.as_deref().map(Dial::of),
                })
                .collect(),
            decision: team
                .decision
                .as_ref()
                .map(|(number, on)| format!("Quyết định số {number} ngày {}", format_date(*on))),
        }
    }
}

fn commune_callable(contact: &Option<StoredContact>) -> Option<Callable> {
    contact.as_ref().map(|c| Callable {
        name: c.label.clone(),
        role: "",
        phone: Some(Dial::of(&c.phone)),
    })
}

#[derive(Template)]
#[template(path = "public_error.html")]
struct PublicErrorPage {
    layout: PublicLayout,
    message: String,
}

/// A refusal or a missing page, as citizens see it: in the public pages' own layout, with the way back to
/// the finder (not to the staff's sign-in).
pub async fn error_page(state: &AppState, message: &str) -> String {
    let province_name = state
        .store
        .province(&state.settings.public_province)
        .await
        .map(|p| p.name)
        .unwrap_or_default();
    let page = PublicErrorPage {
        layout: PublicLayout {
            title: "Không mở được trang".into(),
            province_name,
        },
        message: message.to_string(),
    };
    page.render().unwrap_or_else(|_| message.to_string())
}

/// A team's id from the address; anything else is a team that does not exist.
fn team_id(text: &str) -> Result<i64, PageError> {
    text.parse()
        .map_err(|_| crate::error::Error::NotFound("tổ").into())
}

#[derive(Debug, Deserialize)]
pub struct FinderQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "public_finder.html")]
struct FinderPage {
    layout: PublicLayout,
    query: String,
    communes: Vec<Commune>,
    total: usize,
    error: Option<String>,
}

pub async fn finder(
    State(state): State<AppState>,
    super::PageQuery(query): super::PageQuery<FinderQuery>,
) -> Result<Response, PageError> {
    let layout = PublicLayout::new(&state, "Tìm Tổ Công nghệ số cộng đồng").await?;
    let total = state
        .store
        .communes(&state.settings.public_province)
        .await
        .map_err(crate::error::Error::from)?
        .len();
    let (communes, error) =
        match public::communes(&state.store, &state.settings.public_province, &query.q).await {
            Ok(communes) => (communes, None),
            Err(cnscd_services::Error::Invalid(errors)) => {
                (Vec::new(), errors.0.first().map(|e| e.message.clone()))
            }
            Err(other) => return Err(crate::error::Error::from(other).into()),
        };
    render(&FinderPage {
        layout,
        query: query.q.chars().take(public::MAX_QUERY_CHARS).collect(),
        communes,
        total,
        error,
    })
}

#[derive(Template)]
#[template(path = "public_commune.html")]
struct CommunePage {
    layout: PublicLayout,
    commune: Commune,
    contact: Option<Callable>,
    teams: Vec<TeamCard>,
    areas: [&'static str; 6],
}

pub async fn commune(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let found = public::commune(&state.store, &state.settings.public_province, &code).await?;
    let layout = PublicLayout::new(&state, found.commune.name.clone()).await?;
    render(&CommunePage {
        layout,
        contact: commune_callable(&found.contact),
        teams: found.teams.iter().map(TeamCard::from).collect(),
        commune: found.commune,
        areas: TASK_AREAS,
    })
}

#[derive(Template)]
#[template(path = "public_team.html")]
struct TeamPage {
    layout: PublicLayout,
    commune: Commune,
    contact: Option<Callable>,
    team: TeamCard,
    areas: [&'static str; 6],
}

impl TeamPage {
    fn commune_in_sentence(&self) -> String {
        cnscd_domain::text::lowercase_first(&self.commune.name)
    }
}

pub async fn team(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = team_id(&id)?;
    let (team, commune) = public::team(&state.store, &state.settings.public_province, id).await?;
    let layout = PublicLayout::new(&state, team.name.clone()).await?;
    render(&TeamPage {
        layout,
        contact: commune_callable(&commune.contact),
        team: TeamCard::from(&team),
        commune: commune.commune,
        areas: TASK_AREAS,
    })
}

/// One A5 sheet: a team's (its contacts) or a commune's (every team with its contacts), the six things the
/// teams help with, and a QR code to the public page it stands for.
#[derive(Template)]
#[template(path = "public_poster.html")]
struct PosterPage {
    layout: PublicLayout,
    heading: String,
    /// The commune's poster names each team; a team's poster is about that one team.
    whole_commune: bool,
    commune: Commune,
    contact: Option<Callable>,
    teams: Vec<TeamCard>,
    areas: [&'static str; 6],
    qr_svg: String,
    address: String,
}

pub async fn team_poster(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let id = team_id(&id)?;
    let (team, commune) = public::team(&state.store, &state.settings.public_province, id).await?;
    let address = format!("{}/public/teams/{id}", qr::site_address(&state, &headers));
    poster(&state, team.name.clone(), commune, vec![team], address).await
}

pub async fn commune_poster(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let found = public::commune(&state.store, &state.settings.public_province, &code).await?;
    let address = format!(
        "{}/public/communes/{}",
        qr::site_address(&state, &headers),
        found.commune.code
    );
    let teams = found.teams.clone();
    let heading = format!(
        "Các Tổ Công nghệ số cộng đồng của {} ({} tổ)",
        found.commune.name,
        (teams.len() as i64).vn()
    );
    poster(&state, heading, found, teams, address).await
}

async fn poster(
    state: &AppState,
    heading: String,
    commune: PublicCommune,
    teams: Vec<PublicTeam>,
    address: String,
) -> Result<Response, PageError> {
    let layout = PublicLayout::new(state, format!("Tờ dán: {heading}")).await?;
    render(&PosterPage {
        layout,
        heading,
        whole_commune: address.contains("/public/communes/"),
        contact: commune_callable(&commune.contact),
        teams: teams.iter().map(TeamCard::from).collect(),
        commune: commune.commune,
        areas: TASK_AREAS,
        qr_svg: qr::svg(&address),
        address,
    })
}
