//! Golden tests of the renderers: hand-written expected text.

use super::*;
use serde_json::json;
use virton_schema::{ArraySchema, BooleanSchema, IntegerSchema, StringSchema};

fn obj(props: &[(&str, Schema, bool)]) -> ObjectSchema {
    let mut o = ObjectSchema::default();
    for (name, s, optional) in props {
        let mut p = Property::new(s.clone());
        p.optional = *optional;
        o.properties.insert(name.to_string(), p);
    }
    o
}

fn string() -> Schema {
    Schema::String(StringSchema::default())
}

fn int() -> Schema {
    Schema::Integer(IntegerSchema::default())
}

fn list_of(o: ObjectSchema) -> Schema {
    Schema::Array(ArraySchema {
        description: None,
        items: Box::new(Schema::Object(o)),
    })
}

fn text(data: &Value, schema: &Schema, opts: &OutputOptions, term: &Terminal) -> String {
    render(data, schema, None, opts, term).unwrap()
}

fn version_schema() -> Schema {
    Schema::Object(obj(&[
        ("release", string(), false),
        ("version", string(), false),
        ("console", string(), true),
    ]))
}

#[test]
fn object_is_a_key_value_table_sorted_by_key() {
    let data = json!({"version": "9.1.1", "release": "9.1", "console": "html5"});
    let out = text(
        &data,
        &version_schema(),
        &Default::default(),
        &Terminal::default(),
    );
    let expected = "\
+---------+-------+
| key     | value |
+=========+=======+
| console | html5 |
+---------+-------+
| release | 9.1   |
+---------+-------+
| version | 9.1.1 |
+---------+-------+
";
    assert_eq!(out, expected);
}

#[test]
fn object_table_in_utf8_uses_box_drawing() {
    let data = json!({"version": "9.1.1", "release": "9.1"});
    let term = Terminal {
        columns: None,
        utf8: true,
    };
    let out = text(&data, &version_schema(), &Default::default(), &term);
    let expected = "\
┌─────────┬───────┐
│ key     │ value │
╞═════════╪═══════╡
│ release │ 9.1   │
├─────────┼───────┤
│ version │ 9.1.1 │
└─────────┴───────┘
";
    assert_eq!(out, expected);
}

#[test]
fn list_is_sorted_by_first_column_numbers_right_aligned_missing_blank() {
    let schema = list_of(obj(&[
        ("vmid", int(), false),
        ("name", string(), true),
        ("template", Schema::Boolean(BooleanSchema::default()), true),
    ]));
    let data = json!([
        {"vmid": 1000, "name": "big", "template": 1},
        {"vmid": 100, "name": "web"},
    ]);
    let out = text(&data, &schema, &Default::default(), &Terminal::default());
    let expected = "\
+------+------+----------+
| vmid | name | template |
+======+======+==========+
|  100 | web  |          |
+------+------+----------+
| 1000 | big  | 1        |
+------+------+----------+
";
    assert_eq!(out, expected);
}

#[test]
fn noborder_noheader_last_column_unpadded() {
    let schema = list_of(obj(&[
        ("userid", string(), false),
        ("comment", string(), true),
    ]));
    let data = json!([
        {"userid": "root@pam", "comment": "admin"},
        {"userid": "joe@pve"},
    ]);
    let opts = OutputOptions {
        noborder: true,
        ..Default::default()
    };
    let out = text(&data, &schema, &opts, &Terminal::default());
    assert_eq!(out, "userid   comment\njoe@pve  \nroot@pam admin\n");
    let opts = OutputOptions {
        noborder: true,
        noheader: true,
        ..Default::default()
    };
    let out = text(&data, &schema, &opts, &Terminal::default());
    assert_eq!(out, "joe@pve  \nroot@pam admin\n");
}

#[test]
fn multiline_cells_and_terminal_width_cut() {
    let schema = list_of(obj(&[("path", string(), false), ("perm", string(), false)]));
    let data = json!([{"path": "/", "perm": "Sys.Audit\nVM.Audit (*)"}]);
    let out = text(&data, &schema, &Default::default(), &Terminal::default());
    let expected = "\
+------+--------------+
| path | perm         |
+======+==============+
| /    | Sys.Audit    |
|      | VM.Audit (*) |
+------+--------------+
";
    assert_eq!(out, expected);
    let term = Terminal {
        columns: Some(10),
        utf8: false,
    };
    let cut = text(&data, &schema, &Default::default(), &term);
    assert_eq!(cut.lines().next(), Some("+------+--"));
}

#[test]
fn scalar_list_has_no_header_and_one_column_ascii_quirk() {
    let schema = Schema::Array(ArraySchema {
        description: None,
        items: Box::new(string()),
    });
    let data = json!(["b", "a"]);
    let out = text(&data, &schema, &Default::default(), &Terminal::default());
    // The hidden title still counts for the width, as upstream's.
    assert_eq!(
        out,
        "+-------+\n| a     |\n+-------+\n| b     |\n+-------+\n"
    );
    let mut row = Map::new();
    row.insert("value".into(), json!("x"));
    let head = table::render(
        &[row],
        &[Column::plain("value")],
        &TableOptions::default(),
        &Terminal::default(),
    );
    assert_eq!(
        head,
        "+-------+\n| value |\n+=======\n| x     |\n+-------+\n"
    );
}

#[test]
fn scalars_null_and_empty_lists() {
    let d = OutputOptions::default();
    let t = Terminal::default();
    assert_eq!(
        text(&json!("UPID:n1:1:2:3:x::root@pam:"), &string(), &d, &t),
        "UPID:n1:1:2:3:x::root@pam:\n"
    );
    assert_eq!(text(&json!(null), &string(), &d, &t), "");
    assert_eq!(text(&json!([]), &list_of(obj(&[])), &d, &t), "");
    assert_eq!(text(&json!({"a": 1}), &Schema::Null, &d, &t), "");
}

#[test]
fn nested_values_print_as_compact_sorted_json() {
    let data = json!({"cap": {"vms": {"VM.Audit": 1}, "dc": {}}});
    let out = text(
        &data,
        &Schema::Object(ObjectSchema::default()),
        &Default::default(),
        &Terminal::default(),
    );
    assert!(
        out.contains("| cap | {\"dc\":{},\"vms\":{\"VM.Audit\":1}} |"),
        "{out}"
    );
}

#[test]
fn json_formats_sort_keys() {
    let data = json!({"b": [1, {"d": null, "c": "x"}], "a": {}});
    let json = OutputOptions {
        format: OutputFormat::Json,
        ..Default::default()
    };
    assert_eq!(
        text(&data, &string(), &json, &Terminal::default()),
        "{\"a\":{},\"b\":[1,{\"c\":\"x\",\"d\":null}]}\n"
    );
    let pretty = OutputOptions {
        format: OutputFormat::JsonPretty,
        ..Default::default()
    };
    let expected = "\
{
   \"a\" : {},
   \"b\" : [
      1,
      {
         \"c\" : \"x\",
         \"d\" : null
      }
   ]
}
";
    assert_eq!(
        text(&data, &string(), &pretty, &Terminal::default()),
        expected
    );
}

#[test]
fn yaml_layout_and_quoting() {
    let data = json!({
        "release": "9.1",
        "list": [{"subdir": "access", "n": 1}, "plain"],
        "empty": "",
        "flag": "true",
        "colon": "a: b",
        "none": null,
        "nested": {"x": []},
    });
    let yaml = OutputOptions {
        format: OutputFormat::Yaml,
        ..Default::default()
    };
    let expected = "\
---
colon: 'a: b'
empty: ''
flag: 'true'
list:
- n: 1
  subdir: access
- plain
nested:
  x: []
none: ~
release: '9.1'
";
    assert_eq!(
        text(&data, &string(), &yaml, &Terminal::default()),
        expected
    );
    assert_eq!(yaml::dump(&json!("UPID:a")), "--- UPID:a\n");
    assert_eq!(yaml::dump(&json!([])), "--- []\n");
}

#[test]
fn quiet_prints_nothing() {
    let opts = OutputOptions {
        quiet: true,
        ..Default::default()
    };
    assert_eq!(
        text(&json!({"a": 1}), &string(), &opts, &Terminal::default()),
        ""
    );
}
