//! cnscd — sổ đăng ký Tổ Công nghệ số cộng đồng: one binary for the web application, the API and the CLI.

mod cli;
mod commands;
mod demo;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

/// Exit code for a usage, configuration or I/O error.
const EXIT_USAGE: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CNSCD_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal: a log file or a pipe gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let result = match &cli.command {
        Command::Serve(args) => commands::serve::run(&cli.global, args).await,
        Command::Demo(args) => commands::demo::run(&cli.global, args).await,
        Command::Settings(args) => commands::settings::run(&cli.global, args).await,
        Command::Import(args) => commands::import::run(&cli.global, args).await,
        Command::Export(args) => commands::export::run(&cli.global, args).await,
        Command::Openapi => commands::openapi::run(),
        Command::User(command) => commands::user::run(&cli.global, command).await,
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("Lỗi: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
