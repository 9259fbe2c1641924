//! A small JSON-Schema validator for the tests (no crate needed for the subset the SARIF
//! schema uses).

use serde_json::Value;

/// A small JSON-Schema (draft 4/7 subset) validator: the keywords the SARIF 2.1.0 schema uses
/// (`$ref`, `type`, `required`, `properties`, `additionalProperties`, `enum`, `items`,
/// `minItems`, `uniqueItems`, `minimum`, `maximum`, `anyOf`, `oneOf`); `pattern` and `format`
/// are not checked. Errors carry the JSON pointer.
pub fn validate(schema: &Value, root: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/definitions/");
        return validate(&root["definitions"][name], root, value, at, errors);
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = kinds.iter().any(|k| match *k {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        });
        if !ok {
            errors.push(format!("{at}: expected {kinds:?}, found {value}"));
            return;
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} not in {options:?}"));
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), value.as_f64())
        && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), value.as_f64())
        && n > max
    {
        errors.push(format!("{at}: {n} > {max}"));
    }
    for (key, branch_must_all) in [("anyOf", false), ("oneOf", true)] {
        if let Some(branches) = schema[key].as_array() {
            let passing = branches
                .iter()
                .filter(|b| {
                    let mut e = Vec::new();
                    validate(b, root, value, at, &mut e);
                    e.is_empty()
                })
                .count();
            if passing == 0 || (branch_must_all && passing != 1) {
                errors.push(format!("{at}: {passing} branches of {key} match"));
            }
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten() {
            let key = required.as_str().unwrap();
            if !object.contains_key(key) {
                errors.push(format!("{at}: missing required `{key}`"));
            }
        }
        let properties = schema["properties"].as_object();
        for (key, item) in object {
            let path = format!("{at}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => validate(sub, root, item, &path, errors),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{path}: not allowed")),
                    Value::Object(_) => {
                        validate(&schema["additionalProperties"], root, item, &path, errors)
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(array) = value.as_array() {
        if let Some(min) = schema["minItems"].as_u64()
            && (array.len() as u64) < min
        {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if schema["uniqueItems"] == Value::Bool(true) {
            for (i, a) in array.iter().enumerate() {
                if array[..i].contains(a) {
                    errors.push(format!("{at}/{i}: duplicate item"));
                }
            }
        }
        if schema["items"].is_object() {
            for (i, item) in array.iter().enumerate() {
                validate(&schema["items"], root, item, &format!("{at}/{i}"), errors);
            }
        }
    }
}
