fn main() -> std::process::ExitCode {
    emaillint::cli::main()
}
