//! The command line: `dailies serve | worker | migrate | user add | import | backup | restore`.

use crate::config::Config;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::BufRead;

/// Dailies: self-hosted media review.
#[derive(Parser, Debug)]
#[command(name = "dailies", version, about)]
pub struct Cli {
    /// Shared settings.
    #[command(flatten)]
    pub config: Config,
    /// What to do (default: `serve`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Sub-commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and API (and run in-process workers).
    Serve,
    /// Run workers only.
    Worker,
    /// Run pending database migrations and exit.
    Migrate,
    /// Upload a directory tree into a project (with `--watch`, keep picking up new files).
    Import(crate::import::ImportArgs),
    /// Back the database and stored objects up into a new folder.
    Backup {
        /// The folder (created; must be empty).
        dir: std::path::PathBuf,
    },
    /// Restore a backup folder into the configured database and storage.
    Restore {
        /// The folder `dailies backup` wrote.
        dir: std::path::PathBuf,
        /// Overwrite a database that already has accounts.
        #[arg(long)]
        replace: bool,
    },
    /// Manage accounts.
    User {
        /// Account command.
        #[command(subcommand)]
        command: UserCommand,
    },
}

/// `dailies user …`.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account; the password is read from the first line of standard input.
    Add {
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Make the account an instance admin.
        #[arg(long)]
        admin: bool,
    },
}

/// Runs a parsed command line to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => crate::serve::serve(cli.config).await,
            Command::Worker => crate::worker::run_standalone(cli.config).await,
            Command::Import(args) => crate::import::run(cli.config, args).await,
            Command::Backup { dir } => {
                let db = crate::database::open(&cli.config).await?;
                let storage = domain::storage::Storage::open(&cli.config.storage()?)?;
                let result = domain::backup::backup(&db.url, &storage, &media::Process::per_core(), &dir).await;
                db.close().await?;
                let made = result?;
                let kept = if made.objects_copied {
                    "copied"
                } else {
                    "listed; they stay in the bucket"
                };
                println!(
                    "backed up the database and {} objects ({} bytes, {kept}) into {}",
                    made.objects,
                    made.bytes,
                    dir.display()
                );
                Ok(())
            }
            Command::Restore { dir, replace } => {
                let db = crate::database::open(&cli.config).await?;
                let storage = domain::storage::Storage::open(&cli.config.storage()?)?;
                let result =
                    domain::backup::restore(&db.url, &storage, &media::Process::per_core(), &dir, replace).await;
                db.close().await?;
                let made = result?;
                println!(
                    "restored the database and {} objects from {} (made {})",
                    made.objects,
                    dir.display(),
                    made.created_at
                );
                Ok(())
            }
            Command::Migrate => {
                let db = crate::database::open(&cli.config).await?;
                println!("database is up to date");
                db.close().await
            }
            Command::User {
                command: UserCommand::Add { email, name, admin },
            } => {
                let mut password = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut password)
                    .context("reading the password from stdin")?;
                let password = password.trim_end_matches(['\r', '\n']);
                let db = crate::database::open(&cli.config).await?;
                let result = add_user(&db.url, &email, &name, password, admin).await;
                db.close().await?;
                result
            }
        }
    })
}

async fn add_user(url: &str, email: &str, name: &str, password: &str, admin: bool) -> anyhow::Result<()> {
    let pool = domain::db::pool(url, 1)?;
    let mut conn = domain::db::conn(&pool).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = domain::auth::login::create_user(&mut conn, email, name, password, admin)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.to_api()))?;
    println!(
        "created {} <{}>{}",
        user.name,
        user.email,
        if user.is_admin { " (admin)" } else { "" }
    );
    Ok(())
}
