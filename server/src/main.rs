use clap::Parser;
use server::cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or_default() {
        Command::Serve(args) => {
            server::telemetry::init(&args.log_level);
            let app = server::startup::Application::build(args.into_config()).await?;
            let result = app
                .run_until_stopped(server::startup::shutdown_signal())
                .await;
            // The batch exporter blocks while it flushes: off the async runtime.
            tokio::task::spawn_blocking(server::telemetry::shutdown)
                .await
                .ok();
            result
        }
        Command::Migrate(args) => {
            server::telemetry::init(&args.log_level);
            // Same refusal as `serve`: a read-only or full database is named
            // with its cause and the command exits non-zero.
            let database = server::db::open(&args.database_url, None).await?;
            database.health.ensure_lockable().await?;
            server::db::migrate(&database.pool).await?;
            database.health.ensure_writable().await?;
            database.pool.close().await;
            println!("migrations applied to {}", args.database_url);
            Ok(())
        }
        Command::Extract(args) => exit_with(server::score_cmd::run_extract(
            &args,
            &mut std::io::stdout().lock(),
        )),
        Command::Admin(args) => admin(args).await,
        Command::Score(args) => {
            exit_with(server::score_cmd::run(&args, &mut std::io::stdout().lock()))
        }
    }
}

/// One line of standard input (a prompt first when it is a terminal).
fn read_password(email: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    if std::io::stdin().is_terminal() {
        eprint!(
            "Password for {email} (at least {} characters; shown as typed): ",
            server::admin_cmd::MIN_PASSWORD_CHARS
        );
        std::io::stderr().flush().ok();
    }
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    Ok(password.trim_end_matches(['\r', '\n']).to_string())
}

async fn admin(args: server::cli::AdminArgs) -> anyhow::Result<()> {
    use server::{admin_cmd, cli::AdminAction};
    let pool = server::db::connect(&args.database_url).await?;
    server::db::migrate(&pool).await?;
    match args.action {
        AdminAction::CreateUser { email } => {
            let password = read_password(&email)?;
            admin_cmd::create_user(&pool, &email, &password).await?;
            println!("created admin {email}");
        }
        AdminAction::SetPassword { email } => {
            let password = read_password(&email)?;
            admin_cmd::set_password(&pool, &email, &password).await?;
            println!("new password set for {email}; their sessions ended");
        }
        AdminAction::CreateToken { name } => {
            let token = admin_cmd::create_token(&pool, &name).await?;
            eprintln!("token {name} (shown once; store it now):");
            println!("{token}");
        }
        AdminAction::List => {
            for line in admin_cmd::list(&pool).await? {
                println!("{line}");
            }
        }
        AdminAction::Revoke { email, token } => {
            admin_cmd::revoke(&pool, email.as_deref(), token.as_deref()).await?;
            println!("done");
        }
    }
    pool.close().await;
    Ok(())
}

/// Exits with the command's status; `ats-scorer … | head` closing the pipe
/// early is not an error.
fn exit_with(result: anyhow::Result<i32>) -> anyhow::Result<()> {
    match result {
        Ok(code) => std::process::exit(code),
        Err(e)
            if e.downcast_ref::<std::io::Error>().map(std::io::Error::kind)
                == Some(std::io::ErrorKind::BrokenPipe) =>
        {
            std::process::exit(0)
        }
        Err(e) => Err(e),
    }
}
