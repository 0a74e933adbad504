//! The filter language's contract and refusals.

use super::*;

fn parse(j: Json) -> Result<Filter, FilterError> {
    Filter::parse(&j)
}

#[test]
fn the_contract_example_parses_and_round_trips() -> Result<(), FilterError> {
    let j = json!({"all":[{"field":"rating","op":"gte","value":5},
        {"any":[{"field":"media_type","op":"eq","value":"image"},{"field":"tags","op":"contains","value":"hero"}]}]});
    let f = parse(j.clone())?;
    assert_eq!(f.to_json(), j);
    assert_eq!(f.predicates().len(), 3);
    Ok(())
}

#[test]
fn unknown_fields_ops_and_wrong_types_are_refused_with_a_path() {
    let cases = [
        (
            json!({"field":"ratting","op":"eq","value":5}),
            "unknown field `ratting`",
        ),
        (
            json!({"all":[{"field":"rating","op":"like","value":5}]}),
            "all[0]: unknown op `like`",
        ),
        (
            json!({"all":[{"any":[{"field":"rating","op":"gte","value":"five"}]}]}),
            "all[0].any[0]: `rating` gte: expected a whole number",
        ),
        (
            json!({"field":"media_type","op":"eq","value":"photo"}),
            "expected one of video, image, audio",
        ),
        (
            json!({"field":"rating","op":"contains","value":5}),
            "`rating` does not take `contains`",
        ),
        (
            json!({"field":"rating","op":"is_set"}),
            "`rating` does not take `is_set`",
        ),
        (json!({"field":"due_date","op":"lt","value":"tomorrow"}), "not a date"),
        (
            json!({"field":"rating","op":"between","value":[1]}),
            "expected [low, high]",
        ),
        (json!({"field":"rating","op":"eq","value":9}), "a rating is -1"),
        (json!({"field":"custom.Bad-Key","op":"eq","value":1}), "unknown field"),
        (
            json!({"field":"rating","op":"eq","value":1,"extra":1}),
            "unknown key `extra`",
        ),
        (json!([1, 2]), "expected an object"),
    ];
    for (j, want) in cases {
        match parse(j.clone()) {
            Ok(f) => panic!("{j} parsed as {f:?}"),
            Err(e) => assert!(e.to_string().contains(want), "{j}: {e} lacks {want}"),
        }
    }
}

#[test]
fn values_are_typed() -> Result<(), FilterError> {
    let f = parse(json!({"field":"rating","op":"eq","value":"reject"}))?;
    assert_eq!(f.predicates()[0].value, Value::Int(-1));
    let f = parse(json!({"field":"due_date","op":"between","value":["start_of_week","end_of_week"]}))?;
    assert_eq!(
        f.predicates()[0].value,
        Value::Range(
            Box::new(Value::Day(Day::Relative(RelativeDay::StartOfWeek))),
            Box::new(Value::Day(Day::Relative(RelativeDay::EndOfWeek)))
        )
    );
    let f = parse(json!({"field":"due_date","op":"lt","value":"-7d"}))?;
    assert_eq!(f.to_json()["value"], json!("-7d"));
    let f = parse(json!({"field":"platforms","op":"contains","value":["tiktok","x"]}))?;
    assert_eq!(
        f.predicates()[0].value,
        Value::List(vec![Value::Text("tiktok".into()), Value::Text("x".into())])
    );
    let f = parse(json!({"field":"label","op":"is_set"}))?;
    assert_eq!(f.predicates()[0].value, Value::Bool(true));
    let f = parse(json!({"field":"custom.budget","op":"gt","value":100}))?;
    assert_eq!(f.predicates()[0].field, Field::Custom("budget".into()));
    Ok(())
}

#[test]
fn limits_hold() {
    let mut deep = json!({"field":"rating","op":"eq","value":1});
    for _ in 0..=MAX_DEPTH {
        deep = json!({ "all": [deep] });
    }
    assert!(parse(deep).is_err());
    let many: Vec<Json> = (0..=MAX_PREDICATES)
        .map(|_| json!({"field":"rating","op":"eq","value":1}))
        .collect();
    assert!(parse(json!({ "any": many })).is_err());
}

#[test]
fn deserialising_checks_too() {
    let bad: Result<Filter, _> = serde_json::from_str(r#"{"field":"nope","op":"eq","value":1}"#);
    assert!(bad.is_err());
    let good: Result<Filter, _> = serde_json::from_str(r#"{"all":[]}"#);
    assert_eq!(good.ok(), Some(Filter::All(vec![])));
}

#[test]
fn search_words_keep_letters_and_digits() {
    assert_eq!(search_words("Canon EOS-5D, mk3!"), vec!["canon", "eos", "5d", "mk3"]);
    assert!(search_words("'; DROP --")
        .iter()
        .all(|w| w.chars().all(char::is_alphanumeric)));
}

#[test]
fn custom_fields_are_checked_against_the_project() -> Result<(), FilterError> {
    use crate::custom_field::{CustomFieldDto, CustomKind};
    let def = |key: &str, kind, options: &[&str]| CustomFieldDto {
        id: crate::CustomFieldId(uuid::Uuid::nil()),
        project_id: crate::ProjectId(uuid::Uuid::nil()),
        key: key.into(),
        label: key.into(),
        kind,
        options: options.iter().map(|s| s.to_string()).collect(),
        position: 0,
    };
    let defs = vec![
        def("budget", CustomKind::Number, &[]),
        def("day", CustomKind::SingleSelect, &["Day 1", "Day 2"]),
    ];
    let f = Filter::parse(&json!({"all": [
        {"field": "custom.budget", "op": "gte", "value": 1000},
        {"field": "custom.day", "op": "in", "value": ["Day 2"]}
    ]}))?;
    let resolved = f.with_custom(&defs)?;
    assert_eq!(resolved.predicates()[0].value, Value::Number(1000.0));
    let bad = |j: serde_json::Value| match Filter::parse(&j).and_then(|f| f.with_custom(&defs)) {
        Ok(f) => format!("accepted: {f:?}"),
        Err(e) => e.to_string(),
    };
    assert!(bad(json!({"all": [{"field": "custom.budget", "op": "contains", "value": 1}]})).contains("takes eq"));
    assert!(bad(json!({"any": [{"field": "custom.budget", "op": "eq", "value": "x"}]})).contains("filter at any[0]"));
    assert!(bad(json!({"field": "custom.day", "op": "eq", "value": "Day 9"})).contains("no option `Day 9`"));
    assert!(bad(json!({"field": "custom.reel", "op": "eq", "value": "A"}))
        .contains("its fields are custom.budget, custom.day"));
    Ok(())
}
