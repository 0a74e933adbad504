//! Checking a filter's JSON form: structure, fields, operators and value types.

use super::*;

/// Parses the JSON form, counting predicates against [`MAX_PREDICATES`].
#[derive(Default)]
pub(crate) struct Parser {
    predicates: usize,
}

fn err(path: &str, message: impl Into<String>) -> FilterError {
    FilterError {
        path: path.to_owned(),
        message: message.into(),
    }
}

impl Parser {
    pub(crate) fn node(&mut self, json: &Json, path: &str, depth: usize) -> Result<Filter, FilterError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("groups nest deeper than {MAX_DEPTH} levels")));
        }
        let Json::Object(obj) = json else {
            return Err(err(
                path,
                "expected an object: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or {\"field\", \"op\", \"value\"}",
            ));
        };
        let join = |p: &str, k: &str| if p.is_empty() { k.to_owned() } else { format!("{p}.{k}") };
        for group in ["all", "any"] {
            if let Some(list) = obj.get(group) {
                if obj.len() != 1 {
                    return Err(err(path, format!("a `{group}` group has no other keys")));
                }
                let Json::Array(items) = list else {
                    return Err(err(&join(path, group), "expected a list of filters"));
                };
                let children = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &format!("{}[{i}]", join(path, group)), depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(if group == "all" {
                    Filter::All(children)
                } else {
                    Filter::Any(children)
                });
            }
        }
        if let Some(inner) = obj.get("not") {
            if obj.len() != 1 {
                return Err(err(path, "a `not` group has no other keys"));
            }
            return Ok(Filter::Not(Box::new(self.node(
                inner,
                &join(path, "not"),
                depth + 1,
            )?)));
        }
        self.predicate(obj, path).map(Filter::Pred)
    }

    fn predicate(&mut self, obj: &Map<String, Json>, path: &str) -> Result<Predicate, FilterError> {
        if let Some(extra) = obj.keys().find(|k| !["field", "op", "value"].contains(&k.as_str())) {
            return Err(err(
                path,
                format!("unknown key `{extra}` (expected field, op, value, all, any or not)"),
            ));
        }
        self.predicates += 1;
        if self.predicates > MAX_PREDICATES {
            return Err(err(path, format!("more than {MAX_PREDICATES} conditions")));
        }
        let name = obj
            .get("field")
            .and_then(Json::as_str)
            .ok_or_else(|| err(path, "missing `field`"))?;
        let field = Field::parse(name).ok_or_else(|| {
            let known: Vec<String> = Field::BUILT_IN.iter().map(Field::name).collect();
            err(
                path,
                format!(
                    "unknown field `{name}`; known fields are {}, and custom.<key>",
                    known.join(", ")
                ),
            )
        })?;
        let op_name = obj
            .get("op")
            .and_then(Json::as_str)
            .ok_or_else(|| err(path, "missing `op`"))?;
        let op = Op::parse(op_name).ok_or_else(|| {
            err(
                path,
                format!("unknown op `{op_name}`; ops are eq, ne, gt, gte, lt, lte, in, contains, between, is_set"),
            )
        })?;
        let kind = field.kind();
        if !ops_for(kind).contains(&op) || (op == Op::IsSet && kind != Kind::Custom && !field.optional()) {
            let allowed: Vec<&str> = ops_for(kind)
                .iter()
                .filter(|o| **o != Op::IsSet || field.optional())
                .map(|o| o.as_str())
                .collect();
            return Err(err(
                path,
                format!("`{name}` does not take `{op_name}`; it takes {}", allowed.join(", ")),
            ));
        }
        let raw = obj.get("value").unwrap_or(&Json::Null);
        let value = if kind == Kind::Custom {
            custom_shape(op, raw).map_err(|m| err(path, format!("`{name}` {op_name}: {m}")))?
        } else {
            checked(&field, kind, op, raw).map_err(|m| err(path, format!("`{name}` {op_name}: {m}")))?
        };
        Ok(Predicate { field, op, value })
    }
}

/// The shape a custom field's value must have for `op`; the scalar type is checked later.
fn custom_shape(op: Op, raw: &Json) -> Result<Value, String> {
    match op {
        Op::IsSet => is_set_value(raw),
        Op::In => match raw {
            Json::Array(items) if !items.is_empty() && items.len() <= MAX_LIST => Ok(Value::Raw(raw.clone())),
            _ => Err(format!("expected a list of 1 to {MAX_LIST} values")),
        },
        Op::Between => match raw {
            Json::Array(items) if items.len() == 2 => Ok(Value::Raw(raw.clone())),
            _ => Err("expected [low, high]".into()),
        },
        _ if raw.is_null() || raw.is_array() || raw.is_object() => Err("expected one value".into()),
        _ => Ok(Value::Raw(raw.clone())),
    }
}

pub(super) fn is_set_value(raw: &Json) -> Result<Value, String> {
    match raw {
        Json::Null => Ok(Value::Bool(true)),
        Json::Bool(b) => Ok(Value::Bool(*b)),
        _ => Err("expected true, false or no value".into()),
    }
}

pub(super) fn checked(field: &Field, kind: Kind, op: Op, raw: &Json) -> Result<Value, String> {
    match op {
        Op::IsSet => is_set_value(raw),
        Op::In => {
            let Json::Array(items) = raw else {
                return Err("expected a list".into());
            };
            if items.is_empty() || items.len() > MAX_LIST {
                return Err(format!("expected 1 to {MAX_LIST} values"));
            }
            Ok(Value::List(
                items.iter().map(|v| scalar(field, kind, v)).collect::<Result<_, _>>()?,
            ))
        }
        Op::Between => match raw {
            Json::Array(items) if items.len() == 2 => Ok(Value::Range(
                Box::new(scalar(field, kind, &items[0])?),
                Box::new(scalar(field, kind, &items[1])?),
            )),
            _ => Err("expected [low, high]".into()),
        },
        Op::Contains if matches!(kind, Kind::TextSet | Kind::EnumSet(_)) => match raw {
            Json::Array(items) if !items.is_empty() && items.len() <= MAX_LIST => Ok(Value::List(
                items.iter().map(|v| scalar(field, kind, v)).collect::<Result<_, _>>()?,
            )),
            Json::Array(_) => Err(format!("expected 1 to {MAX_LIST} values")),
            other => scalar(field, kind, other),
        },
        _ => scalar(field, kind, raw),
    }
}

fn scalar(field: &Field, kind: Kind, raw: &Json) -> Result<Value, String> {
    match kind {
        Kind::Int => {
            if *field == Field::Rating && raw.as_str() == Some("reject") {
                return Ok(Value::Int(-1));
            }
            let n = raw.as_i64().ok_or("expected a whole number")?;
            if *field == Field::Rating && !(-1..=5).contains(&n) {
                return Err("a rating is -1 (or \"reject\") to 5".into());
            }
            Ok(Value::Int(n))
        }
        Kind::Number => raw
            .as_f64()
            .filter(|n| n.is_finite())
            .map(Value::Number)
            .ok_or_else(|| "expected a number".into()),
        Kind::Bool => raw
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| "expected true or false".into()),
        Kind::Enum(names) | Kind::EnumSet(names) => match raw.as_str() {
            Some(s) if names.contains(&s) => Ok(Value::Text(s.to_owned())),
            _ => Err(format!("expected one of {}", names.join(", "))),
        },
        Kind::TextSet | Kind::Text | Kind::Search => match raw.as_str() {
            Some(s) if !s.trim().is_empty() && s.len() <= 200 => Ok(Value::Text(s.trim().to_owned())),
            _ => Err("expected text of 1 to 200 characters".into()),
        },
        Kind::Id => raw
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s).ok())
            .map(|u| Value::Text(u.to_string()))
            .ok_or_else(|| "expected an id".into()),
        Kind::Date => {
            let s = raw.as_str().ok_or("expected a date like 2026-12-31, or today, start_of_week, end_of_week, start_of_month, end_of_month, +7d, -7d")?;
            if let Some(r) = RelativeDay::parse(s) {
                return Ok(Value::Day(Day::Relative(r)));
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| Value::Day(Day::Date(d)))
                .map_err(|_| format!("`{s}` is not a date like 2026-12-31, or today, start_of_week, end_of_week, start_of_month, end_of_month, +7d, -7d"))
        }
        Kind::Custom => Ok(Value::Raw(raw.clone())),
    }
}
