//! Tests of the APT repository grammars: parsing, canonical writing, errors, round trips.

use super::*;
use proptest::prelude::*;

fn list(text: &str) -> AptRepositoryFile {
    AptRepositoryFile::parse_as("test.list", text, AptFileType::List).unwrap()
}

fn sources(text: &str) -> AptRepositoryFile {
    AptRepositoryFile::parse_as("test.sources", text, AptFileType::Sources).unwrap()
}

fn list_err(text: &str) -> String {
    AptRepositoryFile::parse_as("x.list", text, AptFileType::List)
        .unwrap_err()
        .message
}

#[test]
fn list_entry_with_options_is_parsed() {
    let f = list("deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/k.gpg] http://deb.example.org/debian trixie main contrib\n");
    let r = &f.repositories[0];
    assert_eq!(r.types, [AptPackageType::Deb]);
    assert_eq!(r.uris, ["http://deb.example.org/debian"]);
    assert_eq!(r.suites, ["trixie"]);
    assert_eq!(r.components, ["main", "contrib"]);
    assert_eq!(r.options[0].key, "arch");
    assert_eq!(r.options[0].values, ["amd64", "arm64"]);
    assert_eq!(r.options[1].values, ["/usr/share/keyrings/k.gpg"]);
    assert!(r.enabled);
}

#[test]
fn list_canonical_form_spaces_options_and_separates_entries() {
    let f = list(
        "deb [arch=amd64] http://a.example/d trixie main\ndeb-src http://a.example/d trixie main\n",
    );
    assert_eq!(
        f.write(),
        "deb [ arch=amd64 ] http://a.example/d trixie main\n\ndeb-src http://a.example/d trixie main\n"
    );
}

#[test]
fn list_commented_entry_is_disabled_and_plain_comment_attaches_to_next() {
    let text = "# the main archive\n#deb http://a.example/d trixie main\n# note\ndeb http://b.example/d trixie main # inline\n";
    let f = list(text);
    assert_eq!(f.repositories.len(), 2);
    assert!(!f.repositories[0].enabled);
    assert_eq!(f.repositories[0].comment, " the main archive\n");
    assert_eq!(f.repositories[1].comment, " note\n inline\n");
    assert_eq!(
        f.write(),
        "# the main archive\n# deb http://a.example/d trixie main\n\n# note\n# inline\ndeb http://b.example/d trixie main\n"
    );
}

#[test]
fn list_comment_with_hash_is_kept_once() {
    let f = list("# a # b\ndeb http://a.example/d trixie main\n");
    assert_eq!(f.repositories[0].comment, " a # b\n");
}

#[test]
fn list_quoted_and_bracketed_words_keep_spaces() {
    let f =
        list("deb [trusted=yes] \"file:///mnt/my disk/\" trixie main\ndeb cdrom:[Disc 1 (x)]/ /\n");
    assert_eq!(f.repositories[0].uris, ["file:///mnt/my disk/"]);
    assert_eq!(f.repositories[1].uris, ["cdrom:[Disc 1 (x)]/"]);
    assert!(f.repositories[1].components.is_empty());
    assert_eq!(
        f.write(),
        "deb [ trusted=yes ] \"file:///mnt/my disk/\" trixie main\n\ndeb cdrom:[Disc 1 (x)]/ / \n"
    );
}

#[test]
fn list_trailing_comment_is_kept() {
    let text = "deb http://a.example/d trixie main\n\n# end of file\n";
    let f = list(text);
    assert_eq!(f.trailing_comment, " end of file\n");
    assert_eq!(f.write(), text);
}

#[test]
fn list_errors_use_upstream_wording() {
    assert_eq!(
        list_err("deb http://a.example/d\n"),
        "malformed entry on line 1 - missing suite"
    );
    assert_eq!(
        list_err("\ndeb [arch=amd64\n"),
        "malformed entry on line 2 - options not closed by ']'"
    );
    assert_eq!(
        list_err("dub http://a.example/d trixie main\n"),
        "malformed entry on line 1 - unknown variant `dub`, expected `deb` or `deb-src`"
    );
    assert_eq!(
        list_err("deb [=x] http://a.example/d trixie main\n"),
        "malformed entry on line 1 - option has no key: '=x'"
    );
    assert_eq!(
        list_err("deb http://a.example/d trixie\n"),
        "check for repository 1 - missing component(s)"
    );
    assert_eq!(
        list_err("deb \"http://a.example/d trixie main\n"),
        "malformed entry on line 1 - missing terminating '\"'"
    );
    let err =
        AptRepositoryFile::parse_as("x.list", "deb http://a\n", AptFileType::List).unwrap_err();
    assert_eq!(err.line, Some(1));
}

#[test]
fn list_single_word_line_is_ignored() {
    assert!(list("deb\n\n").repositories.is_empty());
}

#[test]
fn sources_stanzas_are_parsed_with_case_insensitive_keys() {
    let text = "types: deb deb-src\nURIs: http://a.example/d\nSuites: trixie trixie-updates\ncomponents: main\nArchitectures: amd64\n\n# second\nTypes: deb\nURIs: http://b.example/d\nSuites: ./\n";
    let f = sources(text);
    assert_eq!(f.repositories.len(), 2);
    let r = &f.repositories[0];
    assert_eq!(r.types, [AptPackageType::Deb, AptPackageType::DebSrc]);
    assert_eq!(r.suites, ["trixie", "trixie-updates"]);
    assert_eq!(
        r.options,
        [AptRepositoryOption::new(
            "Architectures",
            vec!["amd64".into()]
        )]
    );
    assert_eq!(f.repositories[1].comment, " second\n");
    assert_eq!(
        f.write(),
        "Types: deb deb-src\nURIs: http://a.example/d\nSuites: trixie trixie-updates\nComponents: main\nArchitectures: amd64\n\n# second\nTypes: deb\nURIs: http://b.example/d\nSuites: ./\n"
    );
}

#[test]
fn sources_enabled_field_disables_and_is_normalized() {
    let f = sources(
        "Types: deb\nURIs: http://a.example/d\nEnabled: no\nSuites: trixie\nComponents: main\n",
    );
    let r = &f.repositories[0];
    assert!(!r.enabled);
    assert!(f.write().ends_with("Components: main\nEnabled: false\n"));
}

#[test]
fn sources_folded_values_are_joined_except_inline_keys() {
    let text = "Types: deb\nURIs: http://a.example/d\nSuites: trixie\nComponents: main\nLanguages: en\n de\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBGabc\n\tdef=\n -----END PGP PUBLIC KEY BLOCK-----\n";
    let f = sources(text);
    let r = &f.repositories[0];
    assert_eq!(r.options[0].values, ["en", "de"]);
    assert!(r.options[0].folded.is_empty());
    assert_eq!(r.options[1].key, "Signed-By");
    assert_eq!(r.options[1].values.len(), 13);
    assert_eq!(r.options[1].folded.len(), 6);
    let out = f.write();
    assert!(out.contains("Languages: en de\n"));
    assert!(out.ends_with(
        "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBGabc\n def=\n -----END PGP PUBLIC KEY BLOCK-----\n"
    ));
    assert_eq!(sources(&out), f);
}

#[test]
fn sources_changed_inline_key_falls_back_to_one_line() {
    let mut f = sources("Types: deb\nURIs: http://a.example/d\nSuites: trixie\nComponents: main\nSigned-By:\n /k1.gpg\n /k2.gpg\n");
    f.repositories[0].options[0].values = vec!["/k3.gpg".into()];
    assert!(f.write().ends_with("Signed-By: /k3.gpg\n"));
}

#[test]
fn sources_comment_only_stanza_goes_to_next_and_trailing_is_kept() {
    let text = "# header\n\nTypes: deb\nURIs: http://a.example/d\nSuites: trixie\nComponents: main\n\n# footer\n";
    let f = sources(text);
    assert_eq!(f.repositories[0].comment, " header\n");
    assert_eq!(f.trailing_comment, " footer\n");
    assert_eq!(f.write(), "# header\nTypes: deb\nURIs: http://a.example/d\nSuites: trixie\nComponents: main\n\n# footer\n");
}

#[test]
fn sources_errors_name_stanza_and_line() {
    let err = AptRepositoryFile::parse_as(
        "x.sources",
        "Types: deb\nURIs: http://a\nSuites: s\nComponents: c\n\nTypes: rpm\n",
        AptFileType::Sources,
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "malformed entry in stanza 2 - unknown variant `rpm`, expected `deb` or `deb-src`"
    );
    assert_eq!(err.line, Some(6));
    let err =
        AptRepositoryFile::parse_as("x.sources", "Types deb\n", AptFileType::Sources).unwrap_err();
    assert_eq!(
        err.message,
        "malformed entry in stanza 1 - got invalid line - '\"Types deb\"'"
    );
    let err = AptRepositoryFile::parse_as(
        "x.sources",
        "Types: deb\nURIs: http://a\nSuites: s/\nComponents: c\n",
        AptFileType::Sources,
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "check for repository 1 - absolute suite 's/' does not allow component(s)"
    );
}

#[test]
fn format_picks_grammar_from_file_name() {
    let text = "Types: deb\nURIs: http://a.example/d\nSuites: trixie\nComponents: main\n";
    let f = AptRepositoryFile::parse("debian.sources", text).unwrap();
    assert_eq!(f.file_type, AptFileType::Sources);
    assert!(AptRepositoryFile::parse("debian.list", text).is_err());
}

#[test]
fn document_keeps_unchanged_bytes() {
    let text = "deb   http://a.example/d  trixie main   # spaced\n";
    let doc = crate::Document::<AptRepositoryFile>::parse("a.list", text).unwrap();
    assert_eq!(doc.write(), text);
}

#[test]
fn file_names_are_classified_like_apt() {
    assert_eq!(classify_file_name("pve.list"), Ok(Some(AptFileType::List)));
    assert_eq!(
        classify_file_name("debian.sources"),
        Ok(Some(AptFileType::Sources))
    );
    assert_eq!(classify_file_name("pve.list.dpkg-old"), Ok(None));
    assert_eq!(classify_file_name(".hidden.list"), Ok(None));
    assert_eq!(classify_file_name("x.list~"), Ok(None));
    assert_eq!(classify_file_name("x.txt"), Err("invalid extension".into()));
    assert_eq!(
        classify_file_name("a b.list"),
        Err("invalid characters in file name".into())
    );
}

#[test]
fn set_enabled_updates_sources_option_in_place() {
    let mut r = AptRepository::new(AptFileType::Sources);
    r.set_enabled(false);
    r.set_enabled(true);
    assert_eq!(
        r.options,
        [AptRepositoryOption::new("Enabled", vec!["true".into()])]
    );
}

// ---- round trips over generated models ----

fn word() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._+-]{0,8}"
}

fn comment() -> impl Strategy<Value = String> {
    let line = "[a-z0-9:,.#]{0,5}( [a-z0-9:,.#]{1,5}){0,2}";
    proptest::collection::vec(line, 0..3)
        .prop_map(|lines| lines.iter().map(|l| format!(" c-{l}\n")).collect())
}

fn repository(file_type: AptFileType) -> impl Strategy<Value = AptRepository> {
    let many = if file_type == AptFileType::List {
        1..2
    } else {
        1..3
    };
    let types = proptest::sample::subsequence(
        vec![AptPackageType::Deb, AptPackageType::DebSrc],
        many.clone(),
    );
    let uris =
        proptest::collection::vec(word().prop_map(|w| format!("http://{w}/d")), many.clone());
    let suites = proptest::collection::vec(word(), many);
    let components = proptest::collection::vec(word(), 1..3);
    let options = proptest::collection::vec(
        (
            "[A-Za-z][A-Za-z-]{0,6}",
            proptest::collection::vec(word(), 1..3),
        ),
        0..3,
    );
    (
        types,
        uris,
        suites,
        components,
        options,
        comment(),
        any::<bool>(),
    )
        .prop_map(
            move |(types, uris, suites, components, options, comment, enabled)| {
                let mut repo = AptRepository {
                    types,
                    uris,
                    suites,
                    components,
                    options: options
                        .into_iter()
                        .filter(|(k, _)| !is_reserved_key(k))
                        .map(|(k, v)| AptRepositoryOption::new(k, v))
                        .collect(),
                    comment,
                    file_type,
                    enabled: true,
                };
                repo.set_enabled(enabled);
                if file_type == AptFileType::Sources && enabled {
                    repo.options.retain(|o| o.key != "Enabled");
                }
                repo
            },
        )
}

fn is_reserved_key(key: &str) -> bool {
    let lower = key.to_lowercase();
    [
        "types",
        "uris",
        "suites",
        "components",
        "enabled",
        "signed-by",
    ]
    .contains(&lower.as_str())
}

fn file(file_type: AptFileType) -> impl Strategy<Value = AptRepositoryFile> {
    let repos = proptest::collection::vec(repository(file_type), 0..4);
    (repos, comment()).prop_map(move |(repositories, trailing_comment)| AptRepositoryFile {
        file_type,
        repositories,
        trailing_comment,
    })
}

proptest! {
    #[test]
    fn list_write_then_parse_gives_the_same_model(f in file(AptFileType::List)) {
        let text = f.write();
        let again = AptRepositoryFile::parse_as("p.list", &text, AptFileType::List);
        prop_assert_eq!(again.as_ref().ok(), Some(&f), "text:\n{}\n{:?}", text, again);
    }

    #[test]
    fn sources_write_then_parse_gives_the_same_model(f in file(AptFileType::Sources)) {
        let text = f.write();
        let again = AptRepositoryFile::parse_as("p.sources", &text, AptFileType::Sources);
        prop_assert_eq!(again.as_ref().ok(), Some(&f), "text:\n{}\n{:?}", text, again);
    }

    #[test]
    fn arbitrary_list_text_never_panics_and_canonical_output_reparses(text in "(#|deb |deb-src |\\[|\\]|\"|[a-z:/= ,]){0,40}(\n(#|deb |\\[|\\]|\"|[a-z:/= ,]){0,40}){0,3}") {
        if let Ok(f) = AptRepositoryFile::parse_as("p.list", &text, AptFileType::List) {
            let once = f.write();
            let again = AptRepositoryFile::parse_as("p.list", &once, AptFileType::List);
            prop_assert!(again.is_ok(), "{:?} -> {:?}: {:?}", text, once, again);
        }
    }

    #[test]
    fn arbitrary_sources_text_never_panics_and_canonical_output_reparses(text in "(#|Types: deb|URIs: |Suites: |Components: |Signed-By:|Enabled: no|\n |\n\t|\n|[a-z:/ ]){0,30}") {
        if let Ok(f) = AptRepositoryFile::parse_as("p.sources", &text, AptFileType::Sources) {
            let once = f.write();
            let again = AptRepositoryFile::parse_as("p.sources", &once, AptFileType::Sources);
            prop_assert!(again.is_ok(), "{:?} -> {:?}: {:?}", text, once, again);
        }
    }
}

#[test]
fn empty_quoted_word_survives_a_rewrite() {
    // Found by fuzzing: `""` parsed as an empty suite, which the writer dropped.
    let text = "deb http://example.org/debian \"\" main\n";
    let file = AptRepositoryFile::parse_as("x.list", text, AptFileType::List).unwrap();
    let again = AptRepositoryFile::parse_as("x.list", &file.write(), AptFileType::List).unwrap();
    assert_eq!(file.repositories, again.repositories);
}

#[test]
fn quoted_unclosed_bracket_survives_a_rewrite() {
    // Found by fuzzing: `"[x"` lost its quotes and then swallowed the rest of the line.
    let text = "deb http://example.org/debian \"[x\" main\n";
    let file = AptRepositoryFile::parse_as("x.list", text, AptFileType::List).unwrap();
    let again = AptRepositoryFile::parse_as("x.list", &file.write(), AptFileType::List).unwrap();
    assert_eq!(file.repositories, again.repositories);
}
