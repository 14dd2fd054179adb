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
            let pool = server::db::connect(&args.database_url).await?;
            server::db::migrate(&pool).await?;
            pool.close().await;
            println!("migrations applied to {}", args.database_url);
            Ok(())
        }
        Command::Extract(args) => exit_with(server::score_cmd::run_extract(
            &args,
            &mut std::io::stdout().lock(),
        )),
        Command::Score(args) => {
            exit_with(server::score_cmd::run(&args, &mut std::io::stdout().lock()))
        }
    }
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
