//! Fuzzing the path and intrinsic parsers and their evaluation: whatever the text or the JSON,
//! nothing panics. The default case count is small so `cargo test` stays fast; raise it with
//! `PROPTEST_CASES=100000 cargo test --test path_fuzz` for a long run.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Map, Value, json};
use statecraft::asl::intrinsic;
use statecraft::asl::path::{JsonPath, ReferencePath, Roots, Template};

fn config() -> ProptestConfig {
    ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text built from the characters paths and intrinsics are made of.
fn pathish() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\$[\\$@.\\[\\]()?*'\",:ab0-9 <=>!&|~-]{0,24}",
        "\\$[\\$@.\\[\\]()?*'\",:ab0-9 <=>!&|~/{}-]{0,12}(in|nin|size|empty|subsetof|anyof|noneof|length\\(\\)|sum\\(\\)|/a/i)?[\\$@.\\[\\]()?*',:ab0-9 ]{0,12}",
        "States\\.(Format|Array|ArrayRange|MathAdd|Hash|UUID|JsonMerge)\\([\\$@.\\[\\]()?*',:ab0-9 \\\\{}-]{0,30}\\)?",
        any::<String>(),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        "[ab.$]{0,4}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("(a|b|c|a\\.\\$|b\\.\\$)", inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

const PATHS: &[&str] = &[
    "$", "$.a", "$.a.b", "$.a[0]", "$.a[-1]", "$.a[*]", "$..a", "$..*", "$.a[1:]", "$.a[-2:]",
    "$.a[0,1]", "$['a','b']", "$.a[?(@.b)]", "$.a[?(@.b > 1 || @ == 'a')]", "$.*.b", "$.a.length()",
    "$$.a", "$v.a", "$.[0]", "$.a.[*]", "$..[?(@.b)]", "$.a[?(@.b =~ /a.*/i)]", "$.a[?(@.b in ['a', 1])]",
    "$.a[?(@.b anyof [1, 2] || @.c size 2 || @ empty false)]", "$.a.sum()", "$..a.length()", "$.a[*].max()",
    "$.a.index(-1)", "$.a.concat('x', $.b)", "$.a.append(1)", "$.a.keys()", "$.a[?(@.b.length() > 1)]",
    "$.a[-9:2]",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic(text in pathish()) {
        let _ = JsonPath::parse(&text);
        let _ = ReferencePath::parse(&text);
        let _ = intrinsic::parse(&text);
    }

    #[test]
    fn errors_point_inside_the_text(text in pathish()) {
        if let Err(e) = JsonPath::parse(&text) {
            prop_assert!(e.offset <= text.len());
        }
        if let Err(e) = intrinsic::parse(&text) {
            prop_assert!(e.offset <= text.len());
        }
    }

    #[test]
    fn evaluation_never_panics(doc in json(), which in 0..PATHS.len(), value in json()) {
        let variables: Map<String, Value> = [("v".to_string(), doc.clone())].into_iter().collect();
        let roots = Roots::input(&doc).with_context(&doc).with_variables(&variables);
        let path = JsonPath::parse(PATHS[which]).expect("corpus path parses");
        let result = path.eval(&roots);
        if !path.is_definite() {
            prop_assert!(matches!(result, Ok(Value::Array(_))) || path.function().is_some());
        }
        if let Ok(reference) = ReferencePath::parse(PATHS[which]) {
            let _ = reference.write(doc.clone(), value);
        }
    }

    #[test]
    fn templates_never_panic(template in json(), input in json(), seed in any::<u64>()) {
        if let Ok(compiled) = Template::compile(&template) {
            let context = json!({"Execution": {"Input": input.clone()}});
            let _ = compiled.eval(&Roots::input(&input).with_context(&context), &mut StdRng::seed_from_u64(seed));
        }
    }

    #[test]
    fn intrinsics_never_panic(text in pathish(), input in json(), seed in any::<u64>()) {
        if let Ok(call) = intrinsic::parse(&text) {
            let _ = call.eval(&Roots::input(&input), &mut StdRng::seed_from_u64(seed));
        }
    }
}

#[test]
fn every_function_on_odd_arguments_never_panics() {
    let odd = ["null", "true", "-1", "0", "2.5", "'x'", "$.arr", "$.obj", "$.big", "$.s"];
    let input = json!({"arr": [1, [2], {"a": 1}], "obj": {"k": null}, "big": 9.0e300, "s": "a,b"});
    let mut rng = StdRng::seed_from_u64(0);
    for row in &intrinsic::table::TABLE {
        for n in 0..=3usize {
            for first in odd {
                for second in odd {
                    let args: Vec<&str> = [first, second, first].into_iter().take(n).collect();
                    let text = format!("{}({})", row.name, args.join(", "));
                    if let Ok(call) = intrinsic::parse(&text) {
                        let _ = call.eval(&Roots::input(&input), &mut rng);
                    }
                }
            }
        }
    }
}
