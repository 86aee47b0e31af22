use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    println!(
        "{}",
        serde_json::to_string_pretty(&cnscd_web::openapi_document())?
    );
    Ok(ExitCode::SUCCESS)
}
