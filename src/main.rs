fn main() -> std::process::ExitCode {
    concerto::allocator::tune();
    concerto::cli::main()
}
