fn main() -> std::process::ExitCode {
    concerto::cli::main()
}
