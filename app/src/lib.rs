//! Leptos pages, components and server functions, shared by the server (`ssr`) and the
//! browser (`hydrate`).

// The review screen's view types nest deeply; components erase them with `into_any`.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod live;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use components::nav::TopBar;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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
                <script src="/vendor/tus.min.js" defer></script>
                <script src="/uploader.js" defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: stylesheet, top bar and the route table.
///
/// Every route renders in `SsrMode::Async`: the server waits for the page's data and sends
/// finished HTML, so pages read (and forms work) without JavaScript, and redirects and
/// status codes can still be set.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = components::session::SessionContext::provide();
    live::Live::provide();
    components::live::Toasts::provide();
    view! {
        <Stylesheet id="leptos" href="/pkg/dailies.css"/>
        <Title text="Dailies"/>
        <Router>
            <TopBar session/>
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::login::Login ssr=SsrMode::Async/>
                    <Route path=path!("/signup") view=pages::signup::Signup ssr=SsrMode::Async/>
                    <Route path=path!("/projects") view=pages::projects::ProjectList ssr=SsrMode::Async/>
                    <Route path=path!("/projects/new") view=pages::new_project::NewProject ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id") view=pages::project::ProjectPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/members") view=pages::members::MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/shares") view=pages::shares::SharesPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/webhooks") view=pages::webhooks::WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/exports") view=pages::exports::ExportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/analytics") view=pages::analytics::AnalyticsPage ssr=SsrMode::Async/>
                    <Route path=path!("/assets/:id") view=pages::review::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:token") view=pages::share::SharePage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:token/assets/:id") view=pages::share::SharedReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/compare") view=pages::compare::ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=pages::notifications::Notifications ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::account::Account ssr=SsrMode::Async/>
                    <Route path=path!("/admin/jobs") view=pages::admin_jobs::AdminJobs ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outbox") view=pages::admin_outbox::AdminOutbox ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=pages::admin_audit::AdminAudit ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/activity") view=pages::activity::ActivityPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view=pages::invite::InvitePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <components::live::ToastStack/>
        </Router>
    }
}
