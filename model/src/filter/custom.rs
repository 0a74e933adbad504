//! Checking a filter's custom-field predicates against the project's field definitions: the
//! parser only knows their shape, so here ops and values meet the field's type.

use super::parse::checked;
use super::*;
use crate::custom_field::{CustomFieldDto, CustomKind};

/// The filter kind a custom field behaves as (select options are checked separately).
fn kind_of(def: &CustomFieldDto) -> Kind {
    match def.kind {
        CustomKind::Text | CustomKind::Url => Kind::Text,
        CustomKind::Number => Kind::Number,
        CustomKind::Date => Kind::Date,
        CustomKind::Checkbox => Kind::Bool,
        CustomKind::Person => Kind::Id,
        CustomKind::SingleSelect => Kind::Enum(&[]),
        CustomKind::MultiSelect => Kind::EnumSet(&[]),
    }
}

impl Filter {
    /// This filter with every `custom.<key>` predicate checked against `defs` (the project's
    /// fields) and its value typed; unknown keys, ops the type does not take, wrong value
    /// types and options that do not exist are refused, naming the place.
    pub fn with_custom(&self, defs: &[CustomFieldDto]) -> Result<Filter, FilterError> {
        self.resolve(defs, "")
    }

    fn resolve(&self, defs: &[CustomFieldDto], path: &str) -> Result<Filter, FilterError> {
        let join = |k: &str| {
            if path.is_empty() {
                k.to_owned()
            } else {
                format!("{path}.{k}")
            }
        };
        Ok(match self {
            Filter::All(fs) => Filter::All(
                fs.iter()
                    .enumerate()
                    .map(|(i, f)| f.resolve(defs, &format!("{}[{i}]", join("all"))))
                    .collect::<Result<_, _>>()?,
            ),
            Filter::Any(fs) => Filter::Any(
                fs.iter()
                    .enumerate()
                    .map(|(i, f)| f.resolve(defs, &format!("{}[{i}]", join("any"))))
                    .collect::<Result<_, _>>()?,
            ),
            Filter::Not(f) => Filter::Not(Box::new(f.resolve(defs, &join("not"))?)),
            Filter::Pred(p) => Filter::Pred(resolve_pred(p, defs).map_err(|message| FilterError {
                path: path.to_owned(),
                message,
            })?),
        })
    }
}

fn resolve_pred(p: &Predicate, defs: &[CustomFieldDto]) -> Result<Predicate, String> {
    let (Field::Custom(key), Value::Raw(raw)) = (&p.field, &p.value) else {
        return Ok(p.clone());
    };
    let def = defs.iter().find(|d| &d.key == key).ok_or_else(|| {
        let keys: Vec<String> = defs.iter().map(|d| format!("custom.{}", d.key)).collect();
        if keys.is_empty() {
            format!("this project has no custom field `{key}` (it has none)")
        } else {
            format!(
                "this project has no custom field `{key}`; its fields are {}",
                keys.join(", ")
            )
        }
    })?;
    let name = p.field.name();
    let kind = kind_of(def);
    if p.op == Op::IsSet {
        return Ok(p.clone());
    }
    if !ops_for(kind).contains(&p.op) {
        let allowed: Vec<&str> = ops_for(kind).iter().map(|o| o.as_str()).collect();
        return Err(format!(
            "`{name}` ({}) does not take `{}`; it takes {}",
            def.kind.label(),
            p.op.as_str(),
            allowed.join(", ")
        ));
    }
    let parse_as = match kind {
        Kind::Enum(_) => Kind::Text,
        Kind::EnumSet(_) => Kind::TextSet,
        k => k,
    };
    let value = checked(&p.field, parse_as, p.op, raw).map_err(|m| format!("`{name}` {}: {m}", p.op.as_str()))?;
    if def.kind.has_options() {
        let mut texts = Vec::new();
        collect_texts(&value, &mut texts);
        if let Some(bad) = texts.iter().find(|t| !def.options.iter().any(|o| o == *t)) {
            return Err(format!(
                "`{name}` has no option `{bad}`; its options are {}",
                def.options.join(", ")
            ));
        }
    }
    Ok(Predicate {
        field: p.field.clone(),
        op: p.op,
        value,
    })
}

fn collect_texts<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Text(s) => out.push(s),
        Value::List(vs) => vs.iter().for_each(|v| collect_texts(v, out)),
        Value::Range(a, b) => {
            collect_texts(a, out);
            collect_texts(b, out);
        }
        _ => {}
    }
}
