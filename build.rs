// The migrations are embedded in the binary (`embed_migrations!`), which cargo does not
// know to watch: without this, a migration added to an already built tree was missing
// from the next build.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
