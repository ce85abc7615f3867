fn main() {
    eprintln!("pc-sim: the simulator server is not built yet");
    std::process::exit(2);
}
