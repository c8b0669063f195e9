mod common;

#[test]
fn stub() {
    let _ = common::flowc(&["--version"], b"");
}
