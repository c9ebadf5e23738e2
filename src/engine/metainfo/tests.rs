#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::bencode::encode;

fn b(s: &str) -> Value {
    Value::Bytes(s.as_bytes().to_vec())
}
fn i(n: i64) -> Value {
    Value::Int(n)
}
fn dict(entries: Vec<(&str, Value)>) -> Value {
    Value::Dict(
        entries
            .into_iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v))
            .collect(),
    )
}
fn file(len: i64, path: &[&str]) -> Value {
    dict(vec![
        ("length", i(len)),
        ("path", Value::List(path.iter().map(|p| b(p)).collect())),
    ])
}
fn pieces(n: usize) -> Value {
    Value::Bytes(vec![7u8; 20 * n])
}

/// A valid multi-file info dictionary of 3 files (10 + 20 + 5 bytes, piece length 16).
fn info_multi() -> Vec<(&'static str, Value)> {
    vec![
        ("name", b("folder")),
        ("piece length", i(16)),
        ("pieces", pieces(3)),
        (
            "files",
            Value::List(vec![
                file(10, &["a.txt"]),
                file(20, &["sub", "b.bin"]),
                file(5, &["c"]),
            ]),
        ),
    ]
}

fn torrent(info: Vec<(&str, Value)>) -> Vec<u8> {
    encode(&dict(vec![
        ("announce", b("http://127.0.0.1:1/announce")),
        ("info", dict(info)),
    ]))
}

fn with(
    mut info: Vec<(&'static str, Value)>,
    key: &'static str,
    v: Value,
) -> Vec<(&'static str, Value)> {
    info.retain(|(k, _)| *k != key);
    info.push((key, v));
    info
}

fn without(mut info: Vec<(&'static str, Value)>, key: &str) -> Vec<(&'static str, Value)> {
    info.retain(|(k, _)| *k != key);
    info
}

fn parse_err(info: Vec<(&str, Value)>) -> MetainfoError {
    Metainfo::from_bytes(&torrent(info)).unwrap_err()
}

fn files_with(list: Vec<Value>, total: usize) -> Vec<(&'static str, Value)> {
    vec![
        ("name", b("t")),
        ("piece length", i(16)),
        ("pieces", pieces(total.div_ceil(16))),
        ("files", Value::List(list)),
    ]
}

#[test]
fn parses_a_multi_file_torrent() {
    let m = Metainfo::from_bytes(&torrent(info_multi())).unwrap();
    assert_eq!(m.name, "folder");
    assert!(m.multi_file);
    assert_eq!(m.total_length, 35);
    assert_eq!(m.piece_count(), 3);
    assert_eq!(m.piece_size(0), 16);
    assert_eq!(m.piece_size(2), 3);
    assert_eq!(m.piece_size(3), 0);
    assert_eq!(m.files[1].path, vec!["folder", "sub", "b.bin"]);
    assert_eq!(m.files[1].offset, 10);
    assert_eq!(m.files[2].offset, 30);
    assert_eq!(
        m.trackers,
        vec![vec!["http://127.0.0.1:1/announce".to_string()]]
    );
    assert!(!m.private);
}

#[test]
fn parses_a_single_file_torrent() {
    let info = vec![
        ("name", b("movie.mkv")),
        ("piece length", i(16384)),
        ("pieces", pieces(2)),
        ("length", i(20000)),
        ("private", i(1)),
    ];
    let m = Metainfo::from_bytes(&torrent(info)).unwrap();
    assert!(!m.multi_file && m.private);
    assert_eq!(m.files.len(), 1);
    assert_eq!(m.files[0].path, vec!["movie.mkv"]);
    assert_eq!(m.piece_size(1), 20000 - 16384);
}

#[test]
fn info_hash_is_over_the_raw_bytes_even_when_unsorted() {
    // Keys out of order and an unknown key: a re-encoding would sort them and change the hash.
    let info = b"d6:lengthi5e4:name1:x12:piece lengthi16e6:pieces20:aaaaaaaaaaaaaaaaaaaa8:zunknowni1e1:ai2ee";
    let mut file = b"d8:announce3:url4:info".to_vec();
    file.extend_from_slice(info);
    file.push(b'e');
    let m = Metainfo::from_bytes(&file).unwrap();
    assert_eq!(m.info_hash, InfoHash::of_info_bytes(info));
    assert_eq!(m.info_bytes, info);
    assert_ne!(
        m.info_hash,
        InfoHash::of_info_bytes(&encode(&bencode::decode(info, Limits::TORRENT).unwrap().0))
    );
}

#[test]
fn announce_list_and_url_list() {
    let file = encode(&dict(vec![
        ("announce", b("http://ignored")),
        (
            "announce-list",
            Value::List(vec![
                Value::List(vec![b("udp://a:1"), b("http://b:2/announce")]),
                Value::List(vec![]),
                Value::List(vec![b("udp://a:1"), i(5)]),
                Value::List(vec![b("udp://c:3")]),
            ]),
        ),
        ("url-list", b("http://seed/file")),
        ("comment", b("hello")),
        ("comment.utf-8", b("héllo")),
        ("creation date", i(1_700_000_000)),
        ("info", dict(info_multi())),
    ]));
    let m = Metainfo::from_bytes(&file).unwrap();
    assert_eq!(
        m.trackers,
        vec![
            vec!["udp://a:1".to_string(), "http://b:2/announce".into()],
            vec!["udp://c:3".to_string()]
        ]
    );
    assert_eq!(m.web_seeds, vec!["http://seed/file".to_string()]);
    assert_eq!(m.comment.as_deref(), Some("héllo"));
    assert_eq!(m.creation_date, Some(1_700_000_000));
}

#[test]
fn prefers_utf8_names_and_paths() {
    let info = vec![
        ("name", b("bad")),
        ("name.utf-8", b("bon")),
        ("piece length", i(16)),
        ("pieces", pieces(1)),
        (
            "files",
            Value::List(vec![dict(vec![
                ("length", i(3)),
                ("path", Value::List(vec![b("x")])),
                ("path.utf-8", Value::List(vec![b("été")])),
            ])]),
        ),
    ];
    let m = Metainfo::from_bytes(&torrent(info)).unwrap();
    assert_eq!(m.files[0].path, vec!["bon", "été"]);
}

#[test]
fn pad_files_are_marked_and_may_repeat() {
    let pad = |len| {
        dict(vec![
            ("length", i(len)),
            ("attr", b("p")),
            ("path", Value::List(vec![b(".pad"), b(&len.to_string())])),
        ])
    };
    let list = vec![
        file(10, &["a"]),
        pad(6),
        file(10, &["b"]),
        pad(6),
        file(1, &["c"]),
    ];
    let m = Metainfo::from_bytes(&torrent(files_with(list, 33))).unwrap();
    assert_eq!(m.files.iter().filter(|f| f.pad).count(), 2);
    assert_eq!(m.data_length(), 21);
    assert_eq!(m.files[2].offset, 16);
}

#[test]
fn hybrid_loads_through_v1_and_v2_only_is_refused() {
    let hybrid = with(info_multi(), "meta version", i(2));
    let m = Metainfo::from_bytes(&torrent(hybrid)).unwrap();
    assert!(m.hybrid);
    let v2 = without(with(info_multi(), "meta version", i(2)), "pieces");
    let v2 = with(without(v2, "files"), "file tree", dict(vec![]));
    assert_eq!(parse_err(v2), MetainfoError::V2Only);
}

#[test]
fn rejects_structural_problems() {
    assert!(matches!(
        Metainfo::from_bytes(b"i1e"),
        Err(MetainfoError::NotADictionary)
    ));
    assert_eq!(
        Metainfo::from_bytes(&encode(&dict(vec![("announce", b("x"))]))),
        Err(MetainfoError::MissingInfo)
    );
    assert_eq!(
        Metainfo::from_bytes(&encode(&dict(vec![("info", i(1))]))),
        Err(MetainfoError::MissingInfo)
    );
    assert!(matches!(
        Metainfo::from_bytes(b"d4:infod4:name1:ae"),
        Err(MetainfoError::Bencode(_))
    ));
    let nested = format!("d4:info{}e", "l".repeat(200) + &"e".repeat(200));
    assert!(matches!(
        Metainfo::from_bytes(nested.as_bytes()),
        Err(MetainfoError::Bencode(BencodeError::TooDeep { .. }))
    ));
}

#[test]
fn rejects_bad_pieces() {
    assert_eq!(
        parse_err(with(info_multi(), "pieces", Value::Bytes(vec![0; 59]))),
        MetainfoError::PiecesNotMultipleOf20(59)
    );
    assert!(matches!(
        parse_err(with(info_multi(), "pieces", pieces(2))),
        MetainfoError::PieceCountMismatch {
            expected: 3,
            actual: 2,
            ..
        }
    ));
    assert!(matches!(
        parse_err(with(info_multi(), "pieces", pieces(4))),
        MetainfoError::PieceCountMismatch {
            expected: 3,
            actual: 4,
            ..
        }
    ));
    assert_eq!(
        parse_err(without(info_multi(), "pieces")),
        MetainfoError::MissingField("pieces")
    );
}

#[test]
fn rejects_bad_lengths() {
    assert_eq!(
        parse_err(with(info_multi(), "piece length", i(0))),
        MetainfoError::BadPieceLength(0)
    );
    assert_eq!(
        parse_err(with(info_multi(), "piece length", i(-16))),
        MetainfoError::BadPieceLength(-16)
    );
    assert_eq!(
        parse_err(with(info_multi(), "piece length", i(1 << 40))),
        MetainfoError::BadPieceLength(1 << 40)
    );
    assert!(matches!(
        parse_err(files_with(vec![file(-1, &["a"])], 16)),
        MetainfoError::BadFileLength { length: -1, .. }
    ));
    assert_eq!(
        parse_err(files_with(
            vec![file(i64::MAX, &["a"]), file(i64::MAX, &["b"])],
            16
        )),
        MetainfoError::TotalTooLarge
    );
    assert_eq!(
        parse_err(files_with(vec![file(0, &["a"]), file(0, &["b"])], 0)),
        MetainfoError::NoData
    );
    let single = vec![
        ("name", b("x")),
        ("piece length", i(16)),
        ("pieces", pieces(0)),
        ("length", i(-5)),
    ];
    assert!(matches!(
        parse_err(single),
        MetainfoError::BadFileLength { length: -5, .. }
    ));
}

#[test]
fn rejects_missing_or_conflicting_layout() {
    assert_eq!(
        parse_err(with(info_multi(), "length", i(35))),
        MetainfoError::BothLengthAndFiles
    );
    assert_eq!(
        parse_err(without(info_multi(), "files")),
        MetainfoError::NeitherLengthNorFiles
    );
    assert_eq!(
        parse_err(with(info_multi(), "files", Value::List(vec![]))),
        MetainfoError::NoFiles
    );
    assert!(matches!(
        parse_err(files_with(vec![i(3)], 16)),
        MetainfoError::BadFileEntry { index: 0, .. }
    ));
    assert!(matches!(
        parse_err(files_with(vec![dict(vec![("length", i(3))])], 16)),
        MetainfoError::BadFileEntry { index: 0, .. }
    ));
}

#[test]
fn rejects_bad_names() {
    assert_eq!(
        parse_err(with(info_multi(), "name", b(""))),
        MetainfoError::EmptyName
    );
    assert_eq!(
        parse_err(without(info_multi(), "name")),
        MetainfoError::MissingField("name")
    );
    assert!(matches!(
        parse_err(with(info_multi(), "name", b(".."))),
        MetainfoError::BadName {
            problem: PathProblem::ParentDir,
            ..
        }
    ));
    assert!(matches!(
        parse_err(with(info_multi(), "name", b("/etc"))),
        MetainfoError::BadName {
            problem: PathProblem::Separator,
            ..
        }
    ));
}

#[test]
fn rejects_every_unsafe_path() {
    let cases: Vec<(&[&str], PathProblem)> = vec![
        (&["..", "etc", "passwd"], PathProblem::ParentDir),
        (&["a", "..", "..", "x"], PathProblem::ParentDir),
        (&["/etc/passwd"], PathProblem::Separator),
        (&["C:", "Windows"], PathProblem::DriveLetter),
        (&["C:\\evil"], PathProblem::DriveLetter),
        (&["a", "", "b"], PathProblem::Empty),
        (&["nul\0byte"], PathProblem::ControlCharacter),
        (&["bell\u{7}"], PathProblem::ControlCharacter),
        (&["CON"], PathProblem::ReservedName),
        (&["dir", "com1.txt"], PathProblem::ReservedName),
        (&["."], PathProblem::CurrentDir),
    ];
    for (path, problem) in cases {
        let err = parse_err(files_with(vec![file(3, path)], 16));
        assert!(
            matches!(&err, MetainfoError::UnsafePath { problem: p, .. } if *p == problem),
            "{path:?}: {err}"
        );
    }
    assert!(matches!(
        parse_err(files_with(vec![file(3, &[])], 16)),
        MetainfoError::UnsafePath {
            problem: PathProblem::Empty,
            ..
        }
    ));
}

#[test]
fn rejects_duplicates_and_collisions() {
    assert_eq!(
        parse_err(files_with(vec![file(3, &["a"]), file(3, &["a"])], 6)),
        MetainfoError::DuplicatePath("t/a".into())
    );
    assert!(matches!(
        parse_err(files_with(vec![file(3, &["a"]), file(3, &["a", "b"])], 6)),
        MetainfoError::PathCollision(..)
    ));
    let case = Metainfo::from_bytes(&torrent(files_with(
        vec![file(3, &["A"]), file(3, &["a"])],
        6,
    )));
    assert_eq!(case.is_err(), cfg!(any(windows, target_os = "macos")));
}

#[test]
fn caps_file_count_and_depth() {
    let deep: Vec<String> = (0..MAX_PATH_DEPTH).map(|n| format!("d{n}")).collect();
    let deep: Vec<&str> = deep.iter().map(String::as_str).collect();
    assert!(matches!(
        parse_err(files_with(vec![file(3, &deep)], 16)),
        MetainfoError::PathTooDeep { .. }
    ));
    // So many entries exceed the 10 MiB size limit as a file, so check the list directly.
    let many: Vec<Value> = (0..=MAX_FILES).map(|_| file(0, &["x"])).collect();
    let info = match dict(files_with(many, 0)) {
        Value::Dict(d) => d,
        _ => unreachable!(),
    };
    assert!(matches!(
        parse_files(&info, "t"),
        Err(MetainfoError::TooManyFiles { .. })
    ));
}

#[test]
fn error_messages_name_the_culprit() {
    let err = parse_err(files_with(vec![file(3, &["..", "x"])], 16));
    assert_eq!(
        err.to_string(),
        "file name `t/../x` is unsafe: it leaves the download folder (`..`)"
    );
}
