//! `crossdock-history generate | calibrate | evaluate`: see `crossdock-history --help`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = crossdock_history::cli::run(&args) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
