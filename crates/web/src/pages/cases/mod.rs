//! The case flow's pages: the staff workbench (my queue by role), the applicant's own cases,
//! applying from a guide (online, or at the window for a clerk), and the case page with its
//! clock, timeline, materials, documents and only the moves this person may make now. Handlers
//! extract, call one use case of `app::cases`, render.

mod apply;
mod case;
mod clock;
mod processes;
mod queue;
mod timeline;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use onewindow_app::cases::Person;

use crate::AppState;
use crate::extract::Viewer;
use crate::views::percent_encode;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/workbench", get(queue::workbench))
        .route("/my/cases", get(queue::mine))
        .route("/apply/{item}", get(apply::form).post(apply::submit))
        .route("/window", get(apply::window))
        .route("/cases/{number}", get(case::show))
        .route("/cases/{number}/moves", post(case::make_move))
        .route("/cases/{number}/extension", post(case::extend))
        .route("/cases/{number}/materials/{hash}", get(case::material))
        .route("/documents/{number}", get(case::document))
        .route(
            "/admin/processes",
            get(processes::show).post(processes::save),
        )
        .route("/admin/processes/items", post(processes::set_item))
}

/// The signed-in person, or the sign-in page that comes back here.
fn person_or_login(viewer: &Viewer, here: &str) -> Result<Person, Response> {
    match viewer.user() {
        Some(user) => Ok(Person::of(user)),
        None => Err(
            Redirect::to(&format!("/admin/login?next={}", percent_encode(here))).into_response(),
        ),
    }
}
