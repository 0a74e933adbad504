//! Leptos pages, components and server functions, shared by the server (`ssr`) and the
//! browser (`hydrate`).

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use components::nav::TopBar;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: stylesheet, top bar and the route table.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = components::session::SessionContext::provide();
    view! {
        <Stylesheet id="leptos" href="/pkg/dailies.css"/>
        <Title text="Dailies"/>
        <Router>
            <TopBar session/>
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home/>
                    <Route path=path!("/login") view=pages::login::Login/>
                    <Route path=path!("/signup") view=pages::signup::Signup/>
                    <Route path=path!("/projects") view=pages::projects::ProjectList/>
                    <Route path=path!("/projects/new") view=pages::new_project::NewProject/>
                    <Route path=path!("/projects/:id") view=pages::project::ProjectPage/>
                    <Route path=path!("/projects/:id/members") view=pages::members::MembersPage/>
                    <Route path=path!("/account") view=pages::account::Account/>
                </Routes>
            </main>
        </Router>
    }
}
