//! Option parsing and verification against schemas.

use super::*;
use virton_schema::{ArraySchema, BooleanSchema, IntegerSchema, Property, StringSchema};

fn schema() -> ObjectSchema {
    let mut o = ObjectSchema::default();
    let mut add = |name: &str, s: Schema, optional: bool| {
        let mut p = Property::new(s);
        p.optional = optional;
        o.properties.insert(name.to_string(), p);
    };
    add("userid", Schema::String(StringSchema::default()), false);
    add("enable", Schema::Boolean(BooleanSchema::default()), true);
    add(
        "expire",
        Schema::Integer(IntegerSchema {
            minimum: Some(0),
            ..Default::default()
        }),
        true,
    );
    add(
        "groups",
        Schema::String(StringSchema {
            format: Some(StringFormat::Named("pve-groupid-list".into())),
            ..Default::default()
        }),
        true,
    );
    add(
        "keys",
        Schema::Array(ArraySchema {
            description: None,
            items: Box::new(Schema::String(StringSchema::default())),
        }),
        true,
    );
    add("email", Schema::String(StringSchema::default()), true);
    add(
        "enable-tfa",
        Schema::Boolean(BooleanSchema::default()),
        true,
    );
    o
}

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn parse(args: &[&str], positional: &[&str]) -> Result<Args, CliError> {
    let s = schema();
    let mut p = getopt(&specs(&s, &[]), &argv(args))?;
    assign_positional(&mut p, positional, &s)?;
    typed(&s, p)
}

fn one(v: &str) -> ArgValue {
    ArgValue::One(v.into())
}

#[test]
fn double_and_single_dash_and_equals_forms_are_accepted() {
    let a = parse(&["joe@pve", "-email", "a@b", "--expire=5"], &["userid"]).unwrap();
    assert_eq!(a["userid"], one("joe@pve"));
    assert_eq!(a["email"], one("a@b"));
    assert_eq!(a["expire"], one("5"));
}

#[test]
fn booleans_take_an_optional_value() {
    let a = parse(&["--enable", "x@pve"], &["userid"]);
    // A value not starting with '-' is the boolean's value, as Getopt::Long takes it,
    // so the positional argument is missing.
    assert_eq!(a.unwrap_err().render(), "400 not enough arguments\n");
    let s = schema();
    let p = getopt(&specs(&s, &[]), &argv(&["--enable", "maybe"])).unwrap();
    assert_eq!(
        typed(&s, p).unwrap_err().render(),
        "400 unable to parse boolean option\n"
    );
    let a = parse(&["x@pve", "--enable"], &["userid"]).unwrap();
    assert_eq!(a["enable"], one("1"));
    let a = parse(&["x@pve", "--enable", "no"], &["userid"]).unwrap();
    assert_eq!(a["enable"], one("0"));
}

#[test]
fn list_options_join_and_arrays_repeat() {
    let a = parse(
        &[
            "u@pve", "--groups", "a", "--groups", "b,c", "--keys", "k1", "--keys", "k2",
        ],
        &["userid"],
    )
    .unwrap();
    assert_eq!(a["groups"], one("a,b,c"));
    assert_eq!(a["keys"], ArgValue::Many(vec!["k1".into(), "k2".into()]));
    assert_eq!(
        to_params(&a),
        vec![
            ("groups".to_string(), "a,b,c".to_string()),
            ("keys".into(), "k1".into()),
            ("keys".into(), "k2".into()),
            ("userid".into(), "u@pve".into()),
        ]
    );
}

#[test]
fn unique_prefix_selects_and_ambiguous_or_unknown_fail() {
    let a = parse(&["u@pve", "--exp", "7"], &["userid"]).unwrap();
    assert_eq!(a["expire"], one("7"));
    let e = parse(&["u@pve", "--e", "7"], &["userid"]).unwrap_err();
    assert_eq!(
        e.render(),
        "Option e is ambiguous (enable, expire, email, enable-tfa)\n400 unable to parse option\n"
    );
    let e = parse(&["u@pve", "--bogus", "7"], &["userid"]).unwrap_err();
    assert_eq!(
        e.render(),
        "Unknown option: bogus\n400 unable to parse option\n"
    );
    let e = parse(&["u@pve", "--email"], &["userid"]).unwrap_err();
    assert!(e
        .render()
        .starts_with("Option email requires an argument\n"));
}

#[test]
fn exact_name_wins_over_prefix() {
    let a = parse(&["u@pve", "--enable", "1"], &["userid"]).unwrap();
    assert_eq!(a["enable"], one("1"));
}

#[test]
fn positional_count_is_checked() {
    assert_eq!(
        parse(&[], &["userid"]).unwrap_err().render(),
        "400 not enough arguments\n"
    );
    assert_eq!(
        parse(&["a", "b"], &["userid"]).unwrap_err().render(),
        "400 too many arguments\n"
    );
    let a = parse(&["--", "-odd@pve"], &["userid"]).unwrap();
    assert_eq!(a["userid"], one("-odd@pve"));
}

#[test]
fn verification_reports_upstream_errors() {
    let s = schema();
    let a = parse(&["u@pve", "--expire", "-1"], &["userid"]).unwrap();
    let e = verify(&s, &a, &Map::new()).unwrap_err();
    assert_eq!(e.status, 400);
    assert_eq!(e.message, "Parameter verification failed.");
    assert_eq!(e.errors["expire"], "value must have a minimum value of 0");
    let a = parse(&["u@pve", "--expire", "abc"], &["userid"]).unwrap();
    let e = verify(&s, &a, &Map::new()).unwrap_err();
    assert_eq!(
        e.errors["expire"],
        "type check ('integer') failed - got 'abc'"
    );
    let ok = parse(&["u@pve", "--expire", "3"], &["userid"]).unwrap();
    assert!(verify(&s, &ok, &Map::new()).is_ok());
}

#[test]
fn missing_required_parameter_is_a_verification_error() {
    let s = schema();
    let e = verify(&s, &Args::new(), &Map::new()).unwrap_err();
    assert_eq!(
        e.errors["userid"],
        "property is missing and it is not optional"
    );
}
