//! Prints what `extract` reads from each file named on the command line, as
//! JSON (`{kind, text, pages, warnings, …}`): `cargo run -p extract --example
//! show -- FILE…`.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match extract::extract(&bytes, &path) {
            Ok(doc) => println!("{}", serde_json::to_string_pretty(&doc).unwrap()),
            Err(e) => println!("{path}: {}", e.message()),
        }
    }
}
