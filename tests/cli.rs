//! End-to-end tests of the `brooklet` command line: `create` → `info --json` → `verify` round
//! trips, a sparse file past 4 GiB, damage found by `verify`, clean failures on bad input, a
//! corpus of malformed `.torrent` files, magnet links and a stdout closed early.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    Bencode, brooklet, collect, expect_failure, expect_success, hex, random_bytes,
    run_with_timeout, stderr_of, stdout_of, wait_with_timeout, write_tree,
};
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

/// Seconds any quick command may take.
const QUICK: u64 = 30;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `brooklet create SRC -o OUT EXTRA…`; asserts success and returns the printed info-hash.
fn create(src: &Path, out: &Path, extra: &[&str]) -> String {
    let output = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(src)
            .arg("-o")
            .arg(out)
            .args(extra),
        120,
    );
    let stdout = expect_success(&output, "brooklet create");
    let hash = stdout.trim().to_owned();
    assert_eq!(hash.len(), 40, "create printed {stdout:?}");
    assert!(
        hash.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "create printed {stdout:?}"
    );
    assert!(out.is_file(), "create wrote no {}", out.display());
    hash
}

/// `brooklet info --json TORRENT`, parsed.
fn info_json(target: impl AsRef<std::ffi::OsStr>) -> Value {
    let out = run_with_timeout(brooklet().arg("info").arg(target).arg("--json"), QUICK);
    let stdout = expect_success(&out, "brooklet info --json");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

/// `brooklet verify TORRENT DIR`.
fn verify(torrent: &Path, dir: &Path) -> Output {
    run_with_timeout(brooklet().arg("verify").arg(torrent).arg(dir), 120)
}

/// The `have` and `total` of verify's "N of M pieces verified" line.
fn verified(out: &Output) -> (u64, u64) {
    let stdout = stdout_of(out);
    let line = stdout
        .lines()
        .find(|l| l.contains("pieces verified"))
        .unwrap_or_else(|| panic!("no summary in {stdout:?} (stderr {:?})", stderr_of(out)));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[1], "of", "summary line {line:?}");
    (words[0].parse().unwrap(), words[2].parse().unwrap())
}

/// Asserts that verify succeeded with every one of `pieces` pieces.
fn assert_verifies(torrent: &Path, dir: &Path, pieces: u64) {
    let out = verify(torrent, dir);
    expect_success(&out, "brooklet verify");
    assert_eq!(verified(&out), (pieces, pieces));
}

/// Asserts that the torrent's piece hashes are the SHA-1 of `stream` (the files concatenated in
/// torrent order) cut into `piece_length` pieces, computed here independently of the binary.
fn assert_piece_hashes(torrent: &Path, stream: &[u8], piece_length: usize) {
    let bytes = std::fs::read(torrent).unwrap();
    let meta = brooklet::engine::metainfo::Metainfo::from_bytes(&bytes).unwrap();
    let expected: Vec<[u8; 20]> = stream
        .chunks(piece_length)
        .map(|c| Sha1::digest(c).into())
        .collect();
    assert_eq!(
        meta.piece_hashes,
        expected,
        "piece hashes of {}",
        torrent.display()
    );
}

fn files_of(json: &Value) -> Vec<(String, u64, u64)> {
    json["files"]
        .as_array()
        .expect("files array")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["length"].as_u64().unwrap(),
                f["offset"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn u(json: &Value, key: &str) -> u64 {
    json[key]
        .as_u64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {json}"))
}

// ---------------------------------------------------------------------------------------------
// create → info → verify round trips

#[test]
fn single_file_with_a_short_last_piece_round_trips() {
    let dir = temp();
    let data = random_bytes(1, 100_003);
    write_tree(dir.path(), &[("movie.bin", data.clone())]);
    let torrent = dir.path().join("movie.torrent");
    let hash = create(&dir.path().join("movie.bin"), &torrent, &[]);

    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(json["name"], "movie.bin");
    assert_eq!(u(&json, "total_length"), 100_003);
    // Automatic piece length: the 16 KiB minimum for a small file; 7 pieces, the last short.
    assert_eq!(u(&json, "piece_length"), 16_384);
    assert_eq!(u(&json, "piece_count"), 7);
    assert_eq!(json["private"], false);
    assert_eq!(json["hybrid"], false);
    assert_eq!(json["trackers"], serde_json::json!([]));
    assert_eq!(json["web_seeds"], serde_json::json!([]));
    assert_eq!(json["comment"], Value::Null);
    assert_eq!(files_of(&json), vec![("movie.bin".to_owned(), 100_003, 0)]);
    assert!(
        json["magnet"]
            .as_str()
            .unwrap()
            .starts_with(&format!("magnet:?xt=urn:btih:{hash}&dn=movie.bin")),
        "{}",
        json["magnet"]
    );

    // The text form shows the same identity.
    let out = run_with_timeout(brooklet().arg("info").arg(&torrent), QUICK);
    let text = expect_success(&out, "brooklet info");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Info-hash:") && l.ends_with(&hash))
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Name:") && l.ends_with("movie.bin"))
    );
    assert!(text.contains("100003 bytes"), "{text}");

    assert_piece_hashes(&torrent, &data, 16_384);
    assert_verifies(&torrent, dir.path(), 7);
}

#[test]
fn nested_folders_with_empty_files_round_trip_in_sorted_order() {
    let dir = temp();
    let root = dir.path().join("tree");
    // Written in an unsorted order; `a-b` sorts after the folder `a` although "a-b" < "a/z" as
    // joined strings, because paths are compared component by component.
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("tree/zz", random_bytes(2, 20_000)),
        ("tree/b/empty", Vec::new()),
        ("tree/a-b", random_bytes(3, 5_000)),
        ("tree/b/c/d/deep.bin", random_bytes(4, 33_333)),
        ("tree/A.txt", b"capital".to_vec()),
        ("tree/a/z", random_bytes(5, 1)),
        ("tree/empty0", Vec::new()),
    ];
    write_tree(dir.path(), &files);
    let torrent = dir.path().join("tree.torrent");
    let hash = create(&root, &torrent, &[]);

    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(json["name"], "tree");
    let total = 20_000 + 5_000 + 33_333 + 7 + 1;
    assert_eq!(u(&json, "total_length"), total);
    assert_eq!(u(&json, "piece_count"), total.div_ceil(16_384));
    let expected_order = [
        ("tree/A.txt", 7),
        ("tree/a/z", 1),
        ("tree/a-b", 5_000),
        ("tree/b/c/d/deep.bin", 33_333),
        ("tree/b/empty", 0),
        ("tree/empty0", 0),
        ("tree/zz", 20_000),
    ];
    let mut offset = 0;
    let expected: Vec<(String, u64, u64)> = expected_order
        .iter()
        .map(|&(p, len)| {
            let e = (p.to_owned(), len, offset);
            offset += len;
            e
        })
        .collect();
    assert_eq!(files_of(&json), expected);
    let stream: Vec<u8> = expected_order
        .iter()
        .flat_map(|(p, _)| std::fs::read(dir.path().join(p)).unwrap())
        .collect();
    assert_piece_hashes(&torrent, &stream, 16_384);

    // The same tree gives the same info-hash again: the walk is deterministic (and `creation
    // date`, which changes, lives outside `info`).
    let again = create(&root, &dir.path().join("again.torrent"), &[]);
    assert_eq!(again, hash);

    assert_verifies(&torrent, dir.path(), total.div_ceil(16_384));
}

#[test]
fn folder_whose_last_piece_is_short_round_trips() {
    let dir = temp();
    // 5 full pieces of 16 KiB and 1,234 bytes more, spread so that pieces straddle files.
    let sizes = [30_000usize, 1, 40_000, 13_153];
    let total: usize = sizes.iter().sum();
    assert_eq!(total, 5 * 16_384 + 1_234);
    let files: Vec<(String, Vec<u8>)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| (format!("short/part{i}"), random_bytes(10 + i as u64, n)))
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, d)| (p.as_str(), d.clone())).collect();
    write_tree(dir.path(), &refs);
    let torrent = dir.path().join("short.torrent");
    let hash = create(
        &dir.path().join("short"),
        &torrent,
        &["--piece-length", "16384"],
    );
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(u(&json, "total_length"), total as u64);
    assert_eq!(u(&json, "piece_length"), 16_384);
    assert_eq!(u(&json, "piece_count"), 6);
    assert_eq!(files_of(&json).len(), 4);
    let stream: Vec<u8> = files.iter().flat_map(|(_, d)| d.clone()).collect();
    assert_piece_hashes(&torrent, &stream, 16_384);
    assert_verifies(&torrent, dir.path(), 6);
}

#[test]
fn explicit_piece_length_32k_is_used() {
    let dir = temp();
    let data = random_bytes(20, 200_000);
    write_tree(dir.path(), &[("p/one", data.clone())]);
    let torrent = dir.path().join("p.torrent");
    let hash = create(&dir.path().join("p"), &torrent, &["--piece-length", "32k"]);
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(u(&json, "piece_length"), 32_768);
    assert_eq!(u(&json, "piece_count"), 7);
    assert_piece_hashes(&torrent, &data, 32_768);
    assert_verifies(&torrent, dir.path(), 7);

    // A different piece length is a different torrent.
    let other = create(
        &dir.path().join("p"),
        &dir.path().join("p64.torrent"),
        &["--piece-length", "64KiB"],
    );
    assert_ne!(other, hash);
    assert_eq!(
        u(&info_json(dir.path().join("p64.torrent")), "piece_count"),
        4
    );
}

#[test]
fn private_flag_comment_tracker_tiers_and_web_seeds_are_recorded() {
    let dir = temp();
    write_tree(
        dir.path(),
        &[
            ("share/x", random_bytes(30, 50_000)),
            ("share/y", random_bytes(31, 3)),
        ],
    );
    let torrent = dir.path().join("share.torrent");
    let hash = create(
        &dir.path().join("share"),
        &torrent,
        &[
            "--private",
            "--comment",
            "a comment with spaces",
            "--tracker",
            "udp://127.0.0.1:6969/announce",
            "--tracker",
            "http://127.0.0.1:1/announce",
            "--tracker",
            "http://127.0.0.1:2/a, http://127.0.0.1:3/b",
            "--web-seed",
            "http://127.0.0.1:8080/files/",
            "--web-seed",
            "http://127.0.0.1:8081/mirror/",
        ],
    );
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(json["name"], "share");
    assert_eq!(u(&json, "total_length"), 50_003);
    assert_eq!(u(&json, "piece_count"), 4);
    assert_eq!(json["private"], true);
    assert_eq!(json["comment"], "a comment with spaces");
    assert_eq!(
        json["trackers"],
        serde_json::json!([
            ["udp://127.0.0.1:6969/announce"],
            ["http://127.0.0.1:1/announce"],
            ["http://127.0.0.1:2/a", "http://127.0.0.1:3/b"],
        ])
    );
    assert_eq!(
        json["web_seeds"],
        serde_json::json!([
            "http://127.0.0.1:8080/files/",
            "http://127.0.0.1:8081/mirror/"
        ])
    );
    let paths: Vec<String> = files_of(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["share/x", "share/y"]);

    // The private flag is inside `info`: the same data made public is another torrent.
    let public = create(
        &dir.path().join("share"),
        &dir.path().join("public.torrent"),
        &[],
    );
    assert_ne!(public, hash);
    assert_eq!(
        info_json(dir.path().join("public.torrent"))["private"],
        false
    );
    // Trackers, web seeds and comments are outside `info`: the same info-hash without them.
    let bare = create(
        &dir.path().join("share"),
        &dir.path().join("bare.torrent"),
        &["--private"],
    );
    assert_eq!(bare, hash);

    assert_verifies(&torrent, dir.path(), 4);
}

#[test]
fn info_hash_is_the_sha1_of_the_raw_info_bytes_even_with_unsorted_and_unknown_keys() {
    let dir = temp();
    let data = random_bytes(40, 40_000);
    let pieces: Vec<u8> = data
        .chunks(16_384)
        .flat_map(|c| <[u8; 20]>::from(Sha1::digest(c)))
        .collect();
    // Keys out of order, an unknown key inside `info` and another at the top level.
    let info = Bencode::dict([
        ("pieces", Bencode::Bytes(pieces)),
        ("name", Bencode::str("raw.bin")),
        ("zzz unknown", Bencode::str("kept in the hash")),
        ("length", Bencode::Int(40_000)),
        ("piece length", Bencode::Int(16_384)),
    ]);
    let info_bytes = info.encode();
    let torrent_bytes = Bencode::dict([
        ("info", info),
        ("announce", Bencode::str("http://127.0.0.1:1/announce")),
        ("x-top-level", Bencode::Int(7)),
    ])
    .encode();
    let torrent = dir.path().join("raw.torrent");
    std::fs::write(&torrent, &torrent_bytes).unwrap();
    std::fs::write(dir.path().join("raw.bin"), &data).unwrap();

    let expected = hex(&<[u8; 20]>::from(Sha1::digest(&info_bytes)));
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], expected.as_str());
    assert_eq!(
        json["trackers"],
        serde_json::json!([["http://127.0.0.1:1/announce"]])
    );

    // A re-encoding with sorted keys would hash differently: the raw bytes matter.
    let sorted = Bencode::dict([
        ("length", Bencode::Int(40_000)),
        ("name", Bencode::str("raw.bin")),
        ("piece length", Bencode::Int(16_384)),
    ]);
    assert_ne!(
        hex(&<[u8; 20]>::from(Sha1::digest(sorted.encode()))),
        expected
    );

    assert_verifies(&torrent, dir.path(), 3);
}

#[test]
fn non_ascii_file_and_folder_names_round_trip() {
    let dir = temp();
    write_tree(
        dir.path(),
        &[
            ("données/日本語.txt", random_bytes(90, 20_000)),
            ("données/ñandú/Ünïcode ✓.bin", random_bytes(91, 7)),
        ],
    );
    let torrent = dir.path().join("données.torrent");
    let hash = create(&dir.path().join("données"), &torrent, &[]);
    // An absolute path: its first bytes are ASCII (a relative non-ASCII path is tested below).
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(json["name"], "données");
    let paths: Vec<String> = files_of(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["données/ñandú/Ünïcode ✓.bin", "données/日本語.txt"]);
    assert_verifies(&torrent, dir.path(), 2);
}

#[test]
fn info_accepts_a_relative_path_with_non_ascii_characters() {
    let dir = temp();
    write_tree(dir.path(), &[("f.bin", random_bytes(92, 1_000))]);
    let hash = create(
        &dir.path().join("f.bin"),
        &dir.path().join("日本語.torrent"),
        &[],
    );
    let out = run_with_timeout(
        brooklet()
            .args(["info", "日本語.torrent", "--json"])
            .current_dir(dir.path()),
        QUICK,
    );
    let stdout = expect_success(&out, "brooklet info 日本語.torrent");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["info_hash"], hash.as_str());
}

// ---------------------------------------------------------------------------------------------
// Past 4 GiB

/// Writes one byte at `at` of an open file (past its 4 GiB, which stays sparse).
fn write_byte_at(mut f: &std::fs::File, at: u64, byte: u8) {
    use std::io::{Seek, SeekFrom, Write};
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&[byte]).unwrap();
}

#[test]
fn sparse_file_past_4_gib_verifies_and_damage_past_4_gib_is_found() {
    const GIB4: u64 = 1 << 32;
    const PIECE: u64 = 4 << 20;
    let dir = temp();
    let path = dir.path().join("big.bin");
    let len = GIB4 + (3 << 20) + 7;
    // Markers: the same positions modulo 2^32 hold different bytes, so an offset cut to 32 bits
    // reads the wrong one.
    let markers: [(u64, u8); 6] = [
        (1, 0x11),
        (GIB4 - 1, 0x22),
        (GIB4, 0x33),
        (GIB4 + 1, 0x44),
        (GIB4 + (2 << 20) + 5, 0x55),
        (len - 1, 0x66),
    ];
    {
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(len).unwrap();
        for (at, byte) in markers {
            write_byte_at(&f, at, byte);
        }
    }
    let torrent = dir.path().join("big.torrent");
    let hash = create(&path, &torrent, &["--piece-length", "4M"]);
    let pieces = len.div_ceil(PIECE);
    assert_eq!(pieces, 1025);

    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(u(&json, "total_length"), len);
    assert_eq!(u(&json, "piece_count"), pieces);

    // The last piece (all of it past 4 GiB) hashed by the test itself matches the torrent's.
    let meta = brooklet::engine::metainfo::Metainfo::from_bytes(&std::fs::read(&torrent).unwrap())
        .unwrap();
    let mut last = vec![0u8; (len - 1024 * PIECE) as usize];
    for (at, byte) in markers {
        if at >= 1024 * PIECE {
            last[(at - 1024 * PIECE) as usize] = byte;
        }
    }
    assert_eq!(
        meta.piece_hashes[1024],
        <[u8; 20]>::from(Sha1::digest(&last)),
        "the hash of the piece past 4 GiB was taken over the wrong bytes"
    );

    assert_verifies(&torrent, dir.path(), pieces);

    // Change one marker past 4 GiB: exactly that piece fails.
    {
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        write_byte_at(&f, GIB4 + 1, 0x45);
    }
    let out = verify(&torrent, dir.path());
    let line = expect_failure(&out, 1, "verify after damage past 4 GiB");
    assert_eq!(verified(&out), (pieces - 1, pieces));
    assert!(line.contains("one piece is missing or damaged"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// verify finds damage

/// A multi-file torrent of three files (40,000 + 50,000 + 30,000 bytes, 16 KiB pieces: 8 pieces)
/// under `dir/damage`.
fn three_file_torrent(dir: &Path) -> PathBuf {
    write_tree(
        dir,
        &[
            ("damage/a", random_bytes(50, 40_000)),
            ("damage/b", random_bytes(51, 50_000)),
            ("damage/c", random_bytes(52, 30_000)),
        ],
    );
    let torrent = dir.join("damage.torrent");
    create(&dir.join("damage"), &torrent, &["--piece-length", "16k"]);
    assert_verifies(&torrent, dir, 8);
    torrent
}

#[test]
fn a_flipped_byte_in_the_second_file_fails_exactly_one_piece() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    let b = dir.path().join("damage/b");
    let mut data = std::fs::read(&b).unwrap();
    data[25_000] ^= 0x01;
    std::fs::write(&b, &data).unwrap();
    let out = verify(&torrent, dir.path());
    let line = expect_failure(&out, 1, "verify of a flipped byte");
    assert_eq!(verified(&out), (7, 8));
    assert!(line.contains("one piece is missing or damaged"), "{line}");
}

#[test]
fn a_truncated_file_fails_the_pieces_it_no_longer_covers() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("damage/b"))
        .unwrap();
    f.set_len(10_000).unwrap();
    drop(f);
    // Stream bytes 50,000..90,000 are gone: pieces 3, 4 and 5.
    let out = verify(&torrent, dir.path());
    let line = expect_failure(&out, 1, "verify of a truncated file");
    assert_eq!(verified(&out), (5, 8));
    assert!(line.contains("3 pieces are missing or damaged"), "{line}");
}

#[test]
fn a_deleted_file_fails_its_pieces_without_a_panic() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    std::fs::remove_file(dir.path().join("damage/c")).unwrap();
    // Stream bytes 90,000..120,000: pieces 5, 6 and 7.
    let out = verify(&torrent, dir.path());
    let line = expect_failure(&out, 1, "verify of a deleted file");
    assert_eq!(verified(&out), (5, 8));
    assert!(line.contains("3 pieces are missing or damaged"), "{line}");
}

#[test]
fn a_folder_in_place_of_a_file_fails_its_pieces_without_a_panic() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    let c = dir.path().join("damage/c");
    std::fs::remove_file(&c).unwrap();
    std::fs::create_dir(&c).unwrap();
    let out = verify(&torrent, dir.path());
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(verified(&out), (5, 8));
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("brooklet: "), "{stderr}");
}

#[test]
fn verify_in_a_folder_without_the_data_finds_no_piece() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    let empty = dir.path().join("elsewhere");
    std::fs::create_dir(&empty).unwrap();
    let out = verify(&torrent, &empty);
    let line = expect_failure(&out, 1, "verify in an empty folder");
    assert_eq!(verified(&out), (0, 8));
    assert!(line.contains("8 pieces are missing or damaged"), "{line}");
}

#[test]
fn verify_with_a_data_dir_that_does_not_exist_fails_with_one_line() {
    let dir = temp();
    let torrent = three_file_torrent(dir.path());
    let out = verify(&torrent, &dir.path().join("no-such-folder"));
    let line = expect_failure(&out, 1, "verify with a missing DATA_DIR");
    assert!(line.contains("no-such-folder"), "{line}");
    assert!(line.contains("does not exist"), "{line}");
    assert!(out.stdout.is_empty(), "{}", stdout_of(&out));
}

// ---------------------------------------------------------------------------------------------
// Bad command lines and failed operations

#[test]
fn command_line_mistakes_exit_2_with_one_line() {
    let dir = temp();
    write_tree(dir.path(), &[("src/f", random_bytes(60, 1_000))]);
    let src = dir.path().join("src");
    let out_torrent = dir.path().join("o.torrent");
    let src_s = src.to_str().unwrap();
    let out_s = out_torrent.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["frobnicate"], "unknown command `frobnicate`"),
        (vec!["info"], "missing argument FILE.torrent|MAGNET"),
        (vec!["create"], "missing argument PATH"),
        (vec!["create", src_s], "missing argument -o OUT.torrent"),
        (
            vec!["create", src_s, "-o"],
            "missing argument for option '-o'",
        ),
        (vec!["verify"], "missing argument FILE.torrent"),
        (vec!["verify", out_s], "missing argument DATA_DIR"),
        (
            vec!["create", src_s, "-o", out_s, "--piece-length", "abc"],
            "--piece-length needs a number of bytes",
        ),
        (
            vec!["create", src_s, "-o", out_s, "--bogus"],
            "invalid option '--bogus'",
        ),
        (
            vec!["info", "a.torrent", "b.torrent"],
            "unexpected argument",
        ),
        (vec!["--frobnicate"], "--frobnicate"),
        (
            vec!["download", out_s, "--max-down", "1.5M"],
            "--max-down needs a number of bytes",
        ),
        (
            vec!["seed", out_s, src_s, "--max-up", "fast"],
            "--max-up needs a number of bytes",
        ),
        (vec!["download", out_s, "--max-up"], "--max-up"),
    ];
    for (args, fragment) in cases {
        let out = run_with_timeout(brooklet().args(&args), QUICK);
        let line = expect_failure(&out, 2, &format!("brooklet {args:?}"));
        assert!(
            line.contains(fragment),
            "brooklet {args:?}: expected {fragment:?} in {line:?}"
        );
    }
    assert!(!out_torrent.exists());
}

#[test]
fn failed_operations_exit_1_with_one_line() {
    let dir = temp();
    let d = dir.path();
    write_tree(
        d,
        &[
            ("src/f", random_bytes(70, 1_000)),
            ("only-empty/a", Vec::new()),
            ("only-empty/sub/b", Vec::new()),
        ],
    );
    std::fs::create_dir(d.join("empty-folder")).unwrap();
    let big = d.join("big.torrent");
    std::fs::write(&big, vec![b'd'; 11 << 20]).unwrap();
    let out = d.join("o.torrent");
    let p = |p: &Path| p.to_str().unwrap().to_owned();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "create".into(),
                p(&d.join("src")),
                "-o".into(),
                p(&out),
                "--piece-length".into(),
                "1000".into(),
            ],
            "piece length 1000 is invalid: use a power of two",
        ),
        (
            vec![
                "create".into(),
                p(&d.join("src")),
                "-o".into(),
                p(&out),
                "--piece-length".into(),
                "8k".into(),
            ],
            "piece length 8192 is invalid",
        ),
        (
            vec!["info".into(), p(&d.join("missing.torrent"))],
            "cannot read",
        ),
        (vec!["info".into(), p(d)], "cannot read"),
        (vec!["info".into(), p(&big)], "larger than 10 MiB"),
        (
            vec!["info".into(), "magnet:?xt=urn:btih:nothex".into()],
            "bad magnet link",
        ),
        (
            vec!["info".into(), "magnet:?dn=no-hash".into()],
            "bad magnet link: magnet link has no `xt=urn:btih:`",
        ),
        (
            vec![
                "create".into(),
                p(&d.join("empty-folder")),
                "-o".into(),
                p(&out),
            ],
            "holds no data",
        ),
        (
            vec![
                "create".into(),
                p(&d.join("only-empty")),
                "-o".into(),
                p(&out),
            ],
            "holds no data",
        ),
        (
            vec![
                "create".into(),
                p(&d.join("no-such-source")),
                "-o".into(),
                p(&out),
            ],
            "cannot read",
        ),
        (
            vec![
                "create".into(),
                p(&d.join("src")),
                "-o".into(),
                p(&d.join("no-dir/o.torrent")),
            ],
            "cannot write",
        ),
        (
            vec!["verify".into(), p(&d.join("missing.torrent")), p(d)],
            "cannot read",
        ),
    ];
    for (args, fragment) in cases {
        let output = run_with_timeout(brooklet().args(&args), QUICK);
        let line = expect_failure(&output, 1, &format!("brooklet {args:?}"));
        assert!(
            line.contains(fragment),
            "brooklet {args:?}: expected {fragment:?} in {line:?}"
        );
        assert!(
            output.stdout.is_empty(),
            "brooklet {args:?}: printed {:?}",
            stdout_of(&output)
        );
    }
    assert!(!out.exists(), "a failed create left {}", out.display());
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn create_accepts_paths_up_to_64_components_and_refuses_deeper_ones() {
    let dir = temp();
    // name + 62 folders + file = 64 components: the deepest path a torrent may hold.
    let deepest = format!("ok/{}f", "d/".repeat(62));
    let too_deep = format!("deep/{}f", "d/".repeat(63));
    write_tree(
        dir.path(),
        &[
            (deepest.as_str(), b"deepest".to_vec()),
            (too_deep.as_str(), b"too deep".to_vec()),
        ],
    );
    let torrent = dir.path().join("ok.torrent");
    let hash = create(&dir.path().join("ok"), &torrent, &[]);
    let json = info_json(&torrent);
    assert_eq!(json["info_hash"], hash.as_str());
    assert_eq!(files_of(&json), vec![(deepest.clone(), 7, 0)]);
    assert_verifies(&torrent, dir.path(), 1);

    let out = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(dir.path().join("deep"))
            .arg("-o")
            .arg(dir.path().join("deep.torrent")),
        QUICK,
    );
    let line = expect_failure(&out, 1, "create of a too deep folder");
    assert!(line.contains("nested more than 64 folders deep"), "{line}");
    assert!(!dir.path().join("deep.torrent").exists());
}

// ---------------------------------------------------------------------------------------------
// Malformed .torrent files

const PIECE_LEN: i64 = 16_384;

fn hashes(count: usize) -> Bencode {
    Bencode::Bytes(vec![0xab; 20 * count])
}

/// A valid single-file `info` dictionary of `length` bytes.
fn single_info(name: &str, length: i64) -> Bencode {
    Bencode::dict([
        ("length", Bencode::Int(length)),
        ("name", Bencode::str(name)),
        ("piece length", Bencode::Int(PIECE_LEN)),
        (
            "pieces",
            hashes((length as u64).div_ceil(PIECE_LEN as u64) as usize),
        ),
    ])
}

/// A multi-file `info` named `t` with the given files (path components, length).
fn multi_info(files: &[(&[&[u8]], i64)]) -> Bencode {
    let total = files
        .iter()
        .fold(0u64, |sum, f| sum.saturating_add(f.1.max(0) as u64));
    let list = files
        .iter()
        .map(|(path, len)| {
            Bencode::dict([
                ("length", Bencode::Int(*len)),
                ("path", Bencode::str_list(path.iter())),
            ])
        })
        .collect();
    Bencode::dict([
        ("files", Bencode::List(list)),
        ("name", Bencode::str("t")),
        ("piece length", Bencode::Int(PIECE_LEN)),
        (
            "pieces",
            // Absurd totals are capped (those cases fail before the pieces are counted).
            hashes(total.div_ceil(PIECE_LEN as u64).min(100_000) as usize),
        ),
    ])
}

/// A whole torrent around `info`.
fn torrent_of(info: Bencode) -> Vec<u8> {
    Bencode::dict([
        ("announce", Bencode::str("http://127.0.0.1:1/announce")),
        ("info", info),
    ])
    .encode()
}

fn with(mut info: Bencode, key: &str, value: Bencode) -> Bencode {
    match info.get_mut(key) {
        Some(v) => *v = value,
        None => {
            if let Bencode::Dict(entries) = &mut info {
                entries.push((key.as_bytes().to_vec(), value));
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
    }
    info
}

fn without(mut info: Bencode, key: &str) -> Bencode {
    if let Bencode::Dict(entries) = &mut info {
        entries.retain(|(k, _)| k != key.as_bytes());
    }
    info
}

/// Each malformed torrent with a fragment of the message that must explain it.
fn malformed_corpus() -> Vec<(&'static str, Vec<u8>, String)> {
    let good = torrent_of(single_info("file.bin", 100_000));
    let pieces_at = good
        .windows(7)
        .position(|w| w == b"6:piece")
        .expect("pieces key");
    let deep_lists = {
        let mut v = b"d4:info".to_vec();
        v.extend(std::iter::repeat_n(b'l', 100_000));
        v.extend(std::iter::repeat_n(b'e', 100_000));
        v.push(b'e');
        v
    };
    let deep_dicts = {
        let mut v = Vec::new();
        for _ in 0..100_000 {
            v.extend_from_slice(b"d1:a");
        }
        v.extend_from_slice(b"i1e");
        v.extend(std::iter::repeat_n(b'e', 100_000));
        v
    };
    let long_name = "x".repeat(256);
    let deep_path: Vec<&[u8]> = std::iter::repeat_n(&b"d"[..], 70).collect();
    let mut cases: Vec<(&'static str, Vec<u8>, String)> = vec![
        ("empty file", Vec::new(), "the input is empty".into()),
        (
            "truncated inside the pieces",
            good[..pieces_at + 40].to_vec(),
            "runs past the end of the input".into(),
        ),
        (
            "truncated before the final e",
            good[..good.len() - 1].to_vec(),
            "ends in the middle of a value".into(),
        ),
        (
            "trailing garbage",
            [good.as_slice(), b"garbage"].concat(),
            "extra bytes after the end of the value".into(),
        ),
        (
            "100k nested lists",
            deep_lists,
            "nested more than 100 levels deep".into(),
        ),
        (
            "100k nested dictionaries",
            deep_dicts,
            "nested more than 100 levels deep".into(),
        ),
        (
            "i03e",
            b"d4:infod6:lengthi03e4:name1:f12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "leading zero or a negative zero".into(),
        ),
        (
            "i-0e",
            b"d4:infod6:lengthi-0e4:name1:f12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "leading zero or a negative zero".into(),
        ),
        (
            "string length with a leading zero",
            b"d4:infod6:lengthi100e04:name1:f12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "leading zero".into(),
        ),
        (
            "integer past 64 bits",
            b"d4:infod6:lengthi99999999999999999999e4:name1:f12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "does not fit in 64 bits".into(),
        ),
        (
            "huge string length",
            b"d4:info999999999:e".to_vec(),
            "string of 999999999 bytes runs past the end".into(),
        ),
        (
            "unexpected byte",
            b"d4:infox".to_vec(),
            "unexpected byte 0x78".into(),
        ),
        (
            "dictionary key that is an integer",
            b"di1e4:infoe".to_vec(),
            "dictionary key is not a string".into(),
        ),
        (
            "dictionary key without a value",
            b"d4:infoe".to_vec(),
            "dictionary key without a value".into(),
        ),
        (
            "duplicate key, adjacent",
            b"d4:infod6:lengthi100e4:name1:f4:name1:g12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "dictionary key `name` appears twice".into(),
        ),
        (
            "duplicate key, unsorted",
            b"d4:infod4:name1:f6:lengthi100e4:name1:g12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
                .to_vec(),
            "dictionary key `name` appears twice".into(),
        ),
        (
            "top level is a list",
            b"l4:infoe".to_vec(),
            "not a dictionary".into(),
        ),
        (
            "missing info",
            Bencode::dict([("announce", Bencode::str("http://127.0.0.1:1/"))]).encode(),
            "has no `info` dictionary".into(),
        ),
        (
            "info is a string",
            Bencode::dict([("info", Bencode::str("not a dict"))]).encode(),
            "has no `info` dictionary".into(),
        ),
        (
            "pieces of 59 bytes",
            torrent_of(with(
                single_info("f", 100),
                "pieces",
                Bencode::Bytes(vec![1; 59]),
            )),
            "the piece hashes take 59 bytes, which is not a multiple of 20".into(),
        ),
        (
            "piece count mismatch",
            torrent_of(with(single_info("f", 100_000), "pieces", hashes(3))),
            "has 3 piece hashes but its 100000 bytes need 7".into(),
        ),
        (
            "negative length",
            torrent_of(with(single_info("f", 100), "length", Bencode::Int(-5))),
            "`f` has an invalid length -5".into(),
        ),
        (
            "negative length in a file list",
            torrent_of(multi_info(&[(&[b"a"], 100), (&[b"b"], -1)])),
            "`t/b` has an invalid length -1".into(),
        ),
        (
            "zero piece length",
            torrent_of(with(single_info("f", 100), "piece length", Bencode::Int(0))),
            "piece length 0 is invalid".into(),
        ),
        (
            "negative piece length",
            torrent_of(with(
                single_info("f", 100),
                "piece length",
                Bencode::Int(-16_384),
            )),
            "piece length -16384 is invalid".into(),
        ),
        (
            "piece length of 512 MiB",
            torrent_of(with(
                single_info("f", 100),
                "piece length",
                Bencode::Int(512 << 20),
            )),
            "piece length 536870912 is invalid".into(),
        ),
        (
            "missing name",
            torrent_of(without(single_info("f", 100), "name")),
            "`name` field is missing or has the wrong type".into(),
        ),
        (
            "missing pieces",
            torrent_of(without(single_info("f", 100), "pieces")),
            "`pieces` field is missing or has the wrong type".into(),
        ),
        (
            "missing piece length",
            torrent_of(without(single_info("f", 100), "piece length")),
            "`piece length` field is missing or has the wrong type".into(),
        ),
        (
            "empty name",
            torrent_of(single_info("", 100)),
            "the torrent has an empty name".into(),
        ),
        (
            "name `..`",
            torrent_of(single_info("..", 100)),
            "name `..` is unusable: it leaves the download folder".into(),
        ),
        (
            "name with a slash",
            torrent_of(single_info("a/b", 100)),
            "path separator inside a name".into(),
        ),
        (
            "`..` in a path",
            torrent_of(multi_info(&[(&[b"..", b"escape"], 100)])),
            "leaves the download folder (`..`)".into(),
        ),
        (
            "`.` in a path",
            torrent_of(multi_info(&[(&[b".", b"x"], 100)])),
            "has a `.` component".into(),
        ),
        (
            "absolute path component /etc",
            torrent_of(multi_info(&[(&[b"/etc", b"passwd"], 100)])),
            "path separator inside a name".into(),
        ),
        (
            "empty first component (absolute after joining)",
            torrent_of(multi_info(&[(&[b"", b"etc", b"passwd"], 100)])),
            "it has an empty component".into(),
        ),
        (
            "empty path list",
            torrent_of(multi_info(&[(&[], 100)])),
            "file name `t` is unsafe: it has an empty component".into(),
        ),
        (
            "backslashes",
            torrent_of(multi_info(&[(&[b"..\\..\\x"], 100)])),
            "path separator inside a name".into(),
        ),
        (
            "drive letter",
            torrent_of(multi_info(&[(&[b"C:", b"Windows"], 100)])),
            "starts with a drive letter".into(),
        ),
        (
            "NUL in a name",
            torrent_of(multi_info(&[(&[b"a\0b"], 100)])),
            "contains a control character".into(),
        ),
        (
            "newline in a name",
            torrent_of(multi_info(&[(&[b"a\nb"], 100)])),
            "contains a control character".into(),
        ),
        (
            "reserved name CON",
            torrent_of(multi_info(&[(&[b"CON"], 100)])),
            "reserved by Windows".into(),
        ),
        (
            "reserved name nul.txt",
            torrent_of(multi_info(&[(&[b"sub", b"nul.txt"], 100)])),
            "reserved by Windows".into(),
        ),
        (
            "component of 256 bytes",
            torrent_of(multi_info(&[(&[long_name.as_bytes()], 100)])),
            "longer than 255 bytes".into(),
        ),
        (
            "path 70 folders deep",
            torrent_of(multi_info(&[(&deep_path, 100)])),
            "nested more than 64 folders deep".into(),
        ),
        (
            "duplicate file paths",
            torrent_of(multi_info(&[(&[b"a"], 100), (&[b"b"], 1), (&[b"a"], 100)])),
            "`t/a` appears twice in the torrent".into(),
        ),
        (
            "file and folder collide",
            torrent_of(multi_info(&[(&[b"a"], 100), (&[b"a", b"b"], 100)])),
            "files `t/a` and `t/a/b` would be written to the same place".into(),
        ),
        (
            "folder and file collide",
            torrent_of(multi_info(&[(&[b"a", b"b"], 100), (&[b"a"], 100)])),
            "would be written to the same place".into(),
        ),
        (
            "both length and files",
            torrent_of(with(
                multi_info(&[(&[b"a"], 100)]),
                "length",
                Bencode::Int(100),
            )),
            "has both `length` and `files`".into(),
        ),
        (
            "neither length nor files",
            torrent_of(without(single_info("f", 100), "length")),
            "has neither `length` nor `files`".into(),
        ),
        (
            "empty files list",
            torrent_of(with(multi_info(&[(&[b"a"], 100)]), "files", Bencode::List(vec![]))),
            "`files` list is empty".into(),
        ),
        (
            "file entry that is not a dictionary",
            torrent_of(with(
                multi_info(&[(&[b"a"], 100)]),
                "files",
                Bencode::List(vec![Bencode::Int(1)]),
            )),
            "file entry 0 is malformed: it is not a dictionary".into(),
        ),
        (
            "file entry whose path is a string",
            torrent_of(with(
                multi_info(&[(&[b"a"], 100)]),
                "files",
                Bencode::List(vec![Bencode::dict([
                    ("length", Bencode::Int(100)),
                    ("path", Bencode::str("a")),
                ])]),
            )),
            "its `path` is missing or not a list of strings".into(),
        ),
        (
            "file entry without a length",
            torrent_of(with(
                multi_info(&[(&[b"a"], 100)]),
                "files",
                Bencode::List(vec![Bencode::dict([("path", Bencode::str_list(["a"]))])]),
            )),
            "its `length` is missing or not an integer".into(),
        ),
        (
            "every file empty",
            torrent_of(multi_info(&[(&[b"a"], 0), (&[b"b"], 0)])),
            "the torrent holds no data".into(),
        ),
        (
            "lengths past 2^63",
            torrent_of(with(
                multi_info(&[(&[b"a"], 1 << 62), (&[b"b"], 1 << 62), (&[b"c"], 1 << 62)]),
                "pieces",
                hashes(1),
            )),
            "add up to more than 2^63 bytes".into(),
        ),
        (
            "v2-only torrent",
            torrent_of(Bencode::dict([
                (
                    "file tree",
                    Bencode::dict([(
                        "f",
                        Bencode::dict([(
                            "",
                            Bencode::dict([
                                ("length", Bencode::Int(100)),
                                ("pieces root", Bencode::Bytes(vec![7; 32])),
                            ]),
                        )]),
                    )]),
                ),
                ("meta version", Bencode::Int(2)),
                ("name", Bencode::str("f")),
                ("piece length", Bencode::Int(PIECE_LEN)),
            ])),
            "v2-only torrent (BEP 52)".into(),
        ),
    ];
    // A torrent (not a bencode) problem must also be found when the name is not the first key.
    cases.push((
        "unsorted info with a bad path",
        torrent_of(Bencode::dict([
            ("pieces", hashes(1)),
            ("name", Bencode::str("t")),
            (
                "files",
                Bencode::List(vec![Bencode::dict([
                    ("path", Bencode::str_list(["..", "x"])),
                    ("length", Bencode::Int(10)),
                ])]),
            ),
            ("piece length", Bencode::Int(PIECE_LEN)),
        ])),
        "leaves the download folder".into(),
    ));
    cases
}

#[test]
fn malformed_torrents_are_refused_with_a_message_that_names_the_problem() {
    let dir = temp();
    // The unspoiled bases load, so each refusal below is due to its one defect.
    for (name, bytes) in [
        ("good-single", torrent_of(single_info("file.bin", 100_000))),
        (
            "good-multi",
            torrent_of(multi_info(&[(&[b"a"], 100), (&[b"sub", b"b"], 20_000)])),
        ),
    ] {
        let path = dir.path().join(format!("{name}.torrent"));
        std::fs::write(&path, bytes).unwrap();
        info_json(&path);
    }

    let mut problems = Vec::new();
    for (n, (what, bytes, fragment)) in malformed_corpus().into_iter().enumerate() {
        let path = dir.path().join(format!("bad-{n}.torrent"));
        std::fs::write(&path, &bytes).unwrap();
        let out = run_with_timeout(brooklet().arg("info").arg(&path), QUICK);
        let stderr = stderr_of(&out);
        // A stack overflow or abort would end the process by a signal: no exit code at all.
        if out.status.code() != Some(1) || stderr.contains("panicked") {
            problems.push(format!("{what}: exit {:?}, stderr {stderr:?}", out.status));
            continue;
        }
        let lines: Vec<&str> = stderr.lines().collect();
        if lines.len() != 1 || !lines[0].starts_with("brooklet: ") {
            problems.push(format!(
                "{what}: expected one `brooklet: ` line, got {stderr:?}"
            ));
            continue;
        }
        if !lines[0].contains("is not a usable torrent") || !lines[0].contains(&fragment) {
            problems.push(format!("{what}: expected {fragment:?} in {:?}", lines[0]));
        }
        if !out.stdout.is_empty() {
            problems.push(format!("{what}: printed {:?}", stdout_of(&out)));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn refused_names_are_not_echoed_with_their_control_characters() {
    let dir = temp();
    // A name that clears the screen and moves down a line if printed as is.
    let torrent = dir.path().join("escape.torrent");
    std::fs::write(&torrent, torrent_of(single_info("a\x1b[2Jb\x0bc", 100))).unwrap();
    let out = run_with_timeout(brooklet().arg("info").arg(&torrent), QUICK);
    let line = expect_failure(&out, 1, "info of a name with control characters");
    assert!(line.contains("contains a control character"), "{line:?}");
    assert!(
        !line.chars().any(char::is_control),
        "control characters echoed to the terminal: {line:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Magnet links

#[test]
fn magnet_link_fields_are_printed_as_json() {
    let hex_hash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    let json = info_json(format!(
        "magnet:?xt=urn:btih:{hex_hash}&dn=x&tr=udp%3A%2F%2F127.0.0.1%3A6969&x.pe=127.0.0.1:6881"
    ));
    assert_eq!(json["info_hash"], hex_hash);
    assert_eq!(json["name"], "x");
    assert_eq!(
        json["trackers"],
        serde_json::json!(["udp://127.0.0.1:6969"])
    );
    assert_eq!(json["peers"], serde_json::json!(["127.0.0.1:6881"]));
    assert_eq!(json["web_seeds"], serde_json::json!([]));
    let magnet = json["magnet"].as_str().unwrap();
    assert!(
        magnet.starts_with(&format!("magnet:?xt=urn:btih:{hex_hash}")),
        "{magnet}"
    );
    assert!(magnet.contains("dn=x"), "{magnet}");

    // The same hash in base32 (and upper-case hex) gives the same lower-case hex.
    let base32 = info_json("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK&dn=x");
    assert_eq!(base32["info_hash"], hex_hash);
    let upper = info_json(format!("magnet:?xt=urn:btih:{}", hex_hash.to_uppercase()));
    assert_eq!(upper["info_hash"], hex_hash);
    assert_eq!(upper["name"], Value::Null);

    // The text form of a magnet link.
    let out = run_with_timeout(
        brooklet()
            .arg("info")
            .arg(format!("magnet:?xt=urn:btih:{hex_hash}&dn=x")),
        QUICK,
    );
    let text = expect_success(&out, "brooklet info MAGNET");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Info-hash:") && l.ends_with(hex_hash)),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// stdout closed early

/// A torrent listing 5,000 files (about 300 KB of `info` text, more than a pipe holds).
fn many_files_torrent(dir: &Path) -> PathBuf {
    let names: Vec<String> = (0..5_000)
        .map(|i| format!("file-number-{i:05}-with-a-rather-long-name-to-fill-the-pipe.bin"))
        .collect();
    let list = names
        .iter()
        .map(|n| {
            Bencode::dict([
                ("length", Bencode::Int(1)),
                ("path", Bencode::str_list([n.as_str()])),
            ])
        })
        .collect();
    let info = Bencode::dict([
        ("files", Bencode::List(list)),
        ("name", Bencode::str("many")),
        ("piece length", Bencode::Int(PIECE_LEN)),
        ("pieces", hashes(1)),
    ]);
    let path = dir.join("many.torrent");
    std::fs::write(&path, torrent_of(info)).unwrap();
    path
}

/// Runs `brooklet info ARGS` with stdout on a pipe, reads one line and closes the pipe, like
/// `| head -1`. Returns the first line, the exit status and stderr.
fn info_then_close_stdout(args: &[&std::ffi::OsStr]) -> (String, Option<i32>, String) {
    let mut child = brooklet()
        .arg("info")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = collect(child.stderr.take().unwrap());
    let mut first = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        reader.read_line(&mut first).unwrap();
        // Dropping the reader closes the pipe's read end.
    }
    let status = wait_with_timeout(&mut child, Duration::from_secs(QUICK))
        .expect("brooklet info did not finish after its stdout was closed");
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    (first, status.code(), stderr)
}

#[test]
fn closing_stdout_early_ends_info_quietly_without_a_panic() {
    let dir = temp();
    let torrent = many_files_torrent(dir.path());
    // The full listing really is longer than a pipe buffer, so the early close is felt.
    let full = run_with_timeout(brooklet().arg("info").arg(&torrent), QUICK);
    assert!(expect_success(&full, "info").len() > 256 * 1024);

    let (first, code, stderr) = info_then_close_stdout(&[torrent.as_os_str()]);
    assert!(first.starts_with("Name:"), "{first:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(code, Some(0));

    let json = std::ffi::OsStr::new("--json");
    let (first, code, stderr) = info_then_close_stdout(&[torrent.as_os_str(), json]);
    assert!(
        first.starts_with('{'),
        "{:?}",
        &first[..first.len().min(80)]
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn closing_stdout_early_ends_verify_quietly_without_a_panic() {
    let dir = temp();
    write_tree(dir.path(), &[("v/f", random_bytes(80, 10_000))]);
    let torrent = dir.path().join("v.torrent");
    create(&dir.path().join("v"), &torrent, &[]);
    let mut child = brooklet()
        .arg("verify")
        .arg(&torrent)
        .arg(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let stderr = collect(child.stderr.take().unwrap());
    let status = wait_with_timeout(&mut child, Duration::from_secs(QUICK)).expect("verify hung");
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
}
