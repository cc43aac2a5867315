//! The seed scenario: the user's order-processing workflow, its Lambda handlers' source and its
//! three test inputs, embedded verbatim from the course (see `src/seed/README.md`).

/// The state machine's name in the course (`aws stepfunctions create-state-machine --name ...`).
pub const NAME: &str = "OrderProcessingWorkflow";

/// The ASL definition, as the course gives it.
pub const ORDER_WORKFLOW: &str = include_str!("order_workflow.asl.json");

/// The same workflow in the JSONata query language (Arguments, Output, a Choice `Condition`, a
/// Catch `Output` and a variable), which runs to the same results as [`ORDER_WORKFLOW`]. No
/// expression passes the amounts through JSONata: its numbers are JavaScript's, so `150.0` would
/// come out as `150` (as on AWS) and the handlers' texts would differ.
pub const ORDER_WORKFLOW_JSONATA: &str = include_str!("order_workflow_jsonata.asl.json");

/// A Lambda function of the seed: its name and its Python source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedFunction {
    pub name: &'static str,
    pub python_source: &'static str,
}

/// The four Python 3.11 handlers, in the course's order.
pub const FUNCTIONS: [SeedFunction; 4] = [
    SeedFunction { name: "ValidateInput", python_source: include_str!("handlers/ValidateInput.py") },
    SeedFunction { name: "ProcessData", python_source: include_str!("handlers/ProcessData.py") },
    SeedFunction { name: "SendNotification", python_source: include_str!("handlers/SendNotification.py") },
    SeedFunction { name: "HandleError", python_source: include_str!("handlers/HandleError.py") },
];

/// A named execution input from the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedInput {
    pub name: &'static str,
    pub input: &'static str,
}

/// The course's three tests ("Étape 4 : Tester le workflow").
pub const TEST_INPUTS: [SeedInput; 3] = [
    SeedInput {
        name: "Test 1 : Exécution réussie",
        input: r#"{"name": "Jean Dupont", "email": "jean@example.com", "amount": 150.00}"#,
    },
    SeedInput {
        name: "Test 2 : Exécution avec erreur (validation)",
        input: r#"{"name": "Test Error", "email": "test@example.com"}"#,
    },
    SeedInput {
        name: "Test 3 : Montant négatif",
        input: r#"{"name": "Test Negative", "email": "neg@example.com", "amount": -50}"#,
    },
];
