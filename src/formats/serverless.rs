//! The state machines of a Serverless Framework service (`serverless.yml`): those of the
//! serverless-step-functions plugin (`stepFunctions.stateMachines`, each `definition` an object
//! written in the file or `${file(path)}` naming another), and the CloudFormation resources the
//! service adds under `resources` (read by [`super::cloudformation`]). The Framework's variables
//! in a definition (`${self:custom.table}`, `${sls:stage}`, `${opt:stage, 'dev'}`,
//! `${aws:region}`) are placeholders worked out offline where the file gives their value, and a
//! function of the service named by `Fn::GetAtt` (`!GetAtt hello.Arn`, `HelloLambdaFunction.Arn`)
//! is the function the Framework deploys, `<service>-<stage>-hello`.

use super::error::FormatError;
use super::placeholder::{Origin, Simulated};
use super::tree::{Shape, Tree};
use super::{Machine, Slot};
use crate::asl::json::escape_pointer_token;

/// The simulated account and region (the pseudo parameters' in `cloudformation`), and the
/// stage the Framework deploys when none is given.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const STAGE: &str = "dev";

/// Whether the file's root is a Serverless Framework service: it has the plugin's
/// `stepFunctions`, or a `service` with a `provider`.
pub fn is_service(root: &Tree) -> bool {
    root.get("stepFunctions").is_some() || (root.get("service").is_some() && root.get("provider").is_some())
}

/// The maps holding a template's `Resources`: the template itself, or a Serverless service's
/// `resources` (a map, or a list of them).
pub(super) fn resource_blocks(root: &Tree) -> Vec<&Tree> {
    if root.get("Resources").is_some() {
        return vec![root];
    }
    service_resources(root).into_iter().map(|(_, block)| block).collect()
}

/// A Serverless service's `resources` (a map, or those of a list of maps that hold
/// `Resources`), each with its JSON pointer.
fn service_resources(root: &Tree) -> Vec<(String, &Tree)> {
    match root.get("resources") {
        Some(r) if matches!(r.shape, Shape::Map(_)) => vec![("/resources".to_string(), r)],
        Some(Tree { shape: Shape::Seq(items), .. }) => items.iter().enumerate().filter(|(_, i)| i.get("Resources").is_some()).map(|(k, i)| (format!("/resources/{k}"), i)).collect(),
        _ => Vec::new(),
    }
}

/// Every state machine of the service `root` (read from `text`): the plugin's, then the
/// CloudFormation resources', in file order within each.
pub fn machines(root: &Tree, text: &str) -> Result<Vec<Machine>, FormatError> {
    let mut out = Vec::new();
    let lines = crate::asl::json::LineIndex::new(text);
    if let Some(machines) = root.get("stepFunctions").and_then(|s| s.get("stateMachines")) {
        for entry in machines.entries() {
            let pointer = format!("/stepFunctions/stateMachines/{}", escape_pointer_token(&entry.key));
            let name = entry.value.get("name").and_then(Tree::as_str).filter(|n| !n.contains("${")).unwrap_or(&entry.key);
            let line = lines.position(entry.value.start).line;
            let machine = match entry.value.get("definition") {
                Some(def) => match def.as_str().map(|d| (d, file_reference(d))) {
                    Some((_, Some(path))) => Machine { id: entry.key.clone(), name: name.to_string(), definition: String::new(), substitutions: Vec::new(), line, slot: Slot::External { path } },
                    Some((d, None)) if d.trim_start().starts_with("${") => {
                        let why = format!("this `definition` is the Framework variable `{}`; only `${{file(path)}}` naming a whole definition file is read here", d.trim());
                        return Err(FormatError::at(text, def.start, why).under(&format!("{pointer}/definition")));
                    }
                    _ => super::cloudformation::object_machine(&entry.key, name, line, def, "definition", root, text).map_err(|e| e.under(&format!("{pointer}/definition")))?,
                },
                None => return Err(FormatError::at(text, entry.value.start, "this state machine has no `definition`").under(&pointer)),
            };
            out.push(machine);
        }
    }
    for (at, block) in service_resources(root) {
        let found = super::cloudformation::machines(block, text).map_err(|mut e| {
            e.pointer = Some(format!("{at}{}", e.pointer.take().unwrap_or_default()));
            e
        })?;
        out.extend(found);
    }
    let service = Service { root };
    for machine in &mut out {
        for s in &mut machine.substitutions {
            if s.origin == Origin::Unset
                && let Some(simulated) = service.variable(&s.name, 0)
            {
                s.origin = Origin::Template;
                s.value = format!("${{{}}}", s.name);
                s.expression = true;
                s.simulated = Some(simulated);
            } else if s.origin == Origin::Intrinsic
                && let Some(arn) = service.function_arn(&s.name)
            {
                s.simulated = Some(arn);
            }
        }
    }
    Ok(out)
}

/// The path of `${file(path)}` (the definition kept in another file).
fn file_reference(value: &str) -> Option<String> {
    let inner = value.trim().strip_prefix("${file(")?.strip_suffix(")}")?;
    let path = inner.trim().trim_start_matches("./");
    (!path.is_empty() && !path.contains(['$', ')'])).then(|| path.to_string())
}

/// The service's file, for what its variables and functions come to offline.
struct Service<'a> {
    root: &'a Tree,
}

impl Service<'_> {
    /// A literal scalar at `path` (`custom.tableName`) of the file, its own variables worked out.
    fn at(&self, path: &str, depth: usize) -> Result<String, String> {
        let mut node = self.root;
        for part in path.split('.') {
            node = node.get(part).ok_or_else(|| format!("self:{path} is not in the file"))?;
        }
        match (&node.shape, node.tag.is_none()) {
            (Shape::Scalar(value), true) => self.expand(value, depth + 1),
            _ => Err(format!("self:{path} is not a plain value")),
        }
    }

    /// `value` with the variables in it worked out.
    fn expand(&self, value: &str, depth: usize) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = value;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let close = after.find('}').ok_or_else(|| format!("an unclosed variable in {value}"))?;
            let simulated = self.variable(&after[..close], depth + 1).ok_or_else(|| format!("${{{}}} is not a Framework variable", &after[..close]))?;
            out.push_str(&simulated.value.ok_or(simulated.why)?);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The stage or region: the provider's, else the Framework's default.
    fn provider(&self, key: &str, default: &str, depth: usize) -> (String, String) {
        match self.at(&format!("provider.{key}"), depth) {
            Ok(v) => (v, format!("the provider's {key}")),
            Err(_) => (default.to_string(), format!("the Framework's default {key}")),
        }
    }

    /// What the variable `${name}` comes to offline (`None`: no Framework variable).
    fn variable(&self, name: &str, depth: usize) -> Option<Simulated> {
        let (source, fallback) = match name.split_once(',') {
            Some((s, f)) => (s.trim(), Some(f.trim())),
            None => (name.trim(), None),
        };
        let (kind, address) = source.split_once(':')?;
        if depth > 8 {
            return Some(Simulated { value: None, why: "variables nested too deeply".into() });
        }
        let known = |value: String, why: String| Some(Simulated { value: Some(value), why });
        let fallback_value = || -> Option<Result<String, String>> {
            let f = fallback?;
            let quoted = f.strip_prefix('\'').and_then(|f| f.strip_suffix('\'')).or_else(|| f.strip_prefix('"').and_then(|f| f.strip_suffix('"')));
            Some(match quoted {
                Some(literal) => Ok(literal.to_string()),
                None if f.parse::<f64>().is_ok() || f == "true" || f == "false" => Ok(f.to_string()),
                None => self.variable(f, depth + 1).and_then(|s| s.value).ok_or_else(|| format!("its fallback {f} is unknown offline")),
            })
        };
        match (kind, address) {
            ("self", path) => match self.at(path, depth) {
                Ok(v) => known(v, format!("self:{path} in the file")),
                Err(why) => match fallback_value() {
                    Some(Ok(v)) => known(v, format!("the fallback: {why}")),
                    _ => Some(Simulated { value: None, why }),
                },
            },
            ("sls" | "opt", "stage") | ("opt", "region") | ("aws", "region") => {
                let (key, default) = if address == "stage" { ("stage", STAGE) } else { ("region", REGION) };
                match (kind, fallback_value()) {
                    ("opt", Some(Ok(v))) => known(v, format!("the fallback, as when deployed without --{key}")),
                    _ => {
                        let (v, why) = self.provider(key, default, depth);
                        known(v, why)
                    }
                }
            }
            ("aws", "accountId") => known(ACCOUNT.into(), "the simulated account".into()),
            ("env" | "ssm" | "param" | "cf" | "s3" | "file" | "opt" | "sls" | "aws", _) => match fallback_value() {
                Some(Ok(v)) => known(v, format!("the fallback: {kind}:{address} is read at deploy time")),
                _ => Some(Simulated { value: None, why: format!("{kind}:{address} is read at deploy time") }),
            },
            _ => None,
        }
    }

    /// The ARN of the service's function a `Fn::GetAtt` placeholder names (`hello.Arn`, or its
    /// logical id `HelloLambdaFunction.Arn`): the Framework names it `<service>-<stage>-<key>`
    /// unless the function gives its `name`.
    fn function_arn(&self, placeholder: &str) -> Option<Simulated> {
        let target = placeholder.strip_suffix(".Arn")?;
        let functions = self.root.get("functions")?;
        let entry = functions.entries().iter().find(|e| e.key == target || logical_id(&e.key) == target)?;
        let depth = 0;
        let name = match entry.value.get("name").and_then(Tree::as_str) {
            Some(n) => self.expand(n, depth),
            None => {
                let service = self.root.get("service").map(|s| s.get("name").unwrap_or(s)).and_then(Tree::as_str).map(|s| self.expand(s, depth));
                let (stage, _) = self.provider("stage", STAGE, depth);
                service.map(|s| s.map(|s| format!("{s}-{stage}-{}", entry.key)))?
            }
        };
        let (region, _) = self.provider("region", REGION, depth);
        Some(match name {
            Ok(name) => Simulated { value: Some(format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}")), why: format!("the service's function {}", entry.key) },
            Err(why) => Simulated { value: None, why },
        })
    }
}

/// The CloudFormation logical id the Framework gives the function `key`: `hello-world` →
/// `HelloDashworldLambdaFunction`.
fn logical_id(key: &str) -> String {
    let mut chars = key.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    let rest: String = chars.as_str().replace('-', "Dash").replace('_', "Underscore");
    format!("{first}{rest}LambdaFunction")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Vec<Machine> {
        let root = super::super::yaml::read(text).unwrap();
        assert!(is_service(&root));
        machines(&root, text).unwrap()
    }

    #[test]
    fn the_plugin_s_machines_and_the_resources_machines_are_both_found() {
        let text = "service: orders\nprovider:\n  name: aws\n  stage: prod\n  region: eu-west-1\ncustom:\n  table: orders-${sls:stage}\nfunctions:\n  hello-world:\n    handler: h.main\n  named:\n    handler: n.main\n    name: ${self:service}-named\nstepFunctions:\n  stateMachines:\n    flow:\n      name: order-flow\n      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt hello-world.Arn\n            Parameters:\n              Table: ${self:custom.table}\n              Stage: ${opt:stage, 'beta'}\n              Account: ${aws:accountId}\n              Secret: ${ssm:/app/secret}\n              Other:\n                Fn::GetAtt: [NamedLambdaFunction, Arn]\n            End: true\n    external:\n      definition: ${file(./machines/external.asl.json)}\nresources:\n  Resources:\n    Cfn:\n      Type: AWS::StepFunctions::StateMachine\n      Properties:\n        Definition:\n          {\"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Pass\", \"Result\": !Sub \"${AWS::Region}\", \"End\": true,},},}\n";
        let machines = open(text);
        let ids: Vec<&str> = machines.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["flow", "external", "Cfn"]);
        assert_eq!(machines[0].name, "order-flow");
        assert_eq!(machines[1].external(), Some("machines/external.asl.json"));
        let run = |name: &str| machines[0].substitutions.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name}: {:#?}", machines[0].substitutions)).run_value().map(str::to_string);
        assert_eq!(run("hello-world.Arn").as_deref(), Some("arn:aws:lambda:eu-west-1:123456789012:function:orders-prod-hello-world"));
        assert_eq!(run("NamedLambdaFunction.Arn").as_deref(), Some("arn:aws:lambda:eu-west-1:123456789012:function:orders-named"));
        assert_eq!(run("self:custom.table").as_deref(), Some("orders-prod"));
        assert_eq!(run("opt:stage, 'beta'").as_deref(), Some("beta"));
        assert_eq!(run("aws:accountId").as_deref(), Some("123456789012"));
        assert_eq!(run("ssm:/app/secret"), None);
        assert!(machines[0].definition.contains("\"Resource\": \"${hello-world.Arn}\""), "{}", machines[0].definition);
        // The resource's flow mapping, trailing commas and all, with its `!Sub`.
        assert!(machines[2].definition.contains("\"Result\": \"${Token1}\"") || machines[2].definition.contains("\"Result\": \"${"), "{}", machines[2].definition);
    }

    #[test]
    fn a_machine_without_a_definition_is_located() {
        let text = "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    flow:\n      name: x\n";
        let root = super::super::yaml::read(text).unwrap();
        let e = machines(&root, text).unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("/stepFunctions/stateMachines/flow"));
        assert!(e.message.contains("no `definition`"), "{e}");
        // A definition from a key of another file is said to be one, where it is written.
        let text = "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    flow:\n      definition: ${file(machines.yml):flow}\n";
        let root = super::super::yaml::read(text).unwrap();
        let e = machines(&root, text).unwrap_err();
        assert_eq!((e.pointer.as_deref(), e.line, e.column), (Some("/stepFunctions/stateMachines/flow/definition"), 6, 19));
        assert!(e.message.contains("${file(machines.yml):flow}"), "{e}");
        // The resources as a list: each block's pointer is its place in the list.
        let text = "service: s\nprovider: {name: aws}\nresources:\n  - ${file(other.yml)}\n  - Resources:\n      M:\n        Type: AWS::StepFunctions::StateMachine\n        Properties: {}\n";
        let root = super::super::yaml::read(text).unwrap();
        assert_eq!(machines(&root, text).unwrap_err().pointer.as_deref(), Some("/resources/1/Resources/M"));
    }

    #[test]
    fn a_service_with_anchors_and_merge_keys_opens() {
        let text = "service: s\nprovider: {name: aws, stage: qa}\ncustom:\n  retry: &retry\n    ErrorEquals: [States.ALL]\n    MaxAttempts: 2\nstepFunctions:\n  stateMachines:\n    flow:\n      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Result: ${sls:stage}\n            Retry: [*retry]\n            End: true\n";
        let opened = super::super::open("serverless.yml", text).unwrap();
        assert_eq!(opened.format, super::super::Format::Serverless);
        assert_eq!(opened.machines[0].substitutions[0].run_value(), Some("qa"));
        assert!(opened.machines[0].definition.contains("\"MaxAttempts\": 2"), "{}", opened.machines[0].definition);
        assert!(super::super::detect::detect("serverless.yml", "service: s\nprovider: {name: aws}\na: &x 1\nb: *x\n").is_ok());
        // A template that is no Serverless service still refuses aliases, located.
        assert!(super::super::detect::detect("t.yaml", "Resources: {}\na: &x 1\nb: *x\n").is_err());
    }

    #[test]
    fn logical_ids_follow_the_framework() {
        assert_eq!(logical_id("hello-world"), "HelloDashworldLambdaFunction");
        assert_eq!(logical_id("a_b"), "AUnderscorebLambdaFunction");
    }
}
