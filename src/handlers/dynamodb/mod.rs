//! DynamoDB, simulated over the store's tables ([`crate::handlers::services::ServiceStore`]):
//! the operations both integrations reach ([`operations`]: the optimized
//! `dynamodb:getItem|putItem|updateItem|deleteItem` and `aws-sdk:dynamodb:*` get, put, update,
//! delete, query, scan, batch get and write, transactional write) and the expression language
//! they read, in stages: one tokenizer and cursor with placeholders, document paths, reserved
//! words and DynamoDB's error texts ([`expression`]), then each kind's grammar over it:
//! conditions and filters ([`condition`]), key conditions ([`key_condition`]), updates
//! ([`update`]), projections ([`projection`]); AttributeValues compared and respelled in
//! [`value`].

pub mod condition;
pub mod expression;
pub mod key_condition;
pub mod operations;
pub mod projection;
pub mod update;
pub mod value;

/// The resources served from the store's tables.
pub const RESOURCES: [&str; 13] = [
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::dynamodb:deleteItem",
    "arn:aws:states:::aws-sdk:dynamodb:getItem",
    "arn:aws:states:::aws-sdk:dynamodb:putItem",
    "arn:aws:states:::aws-sdk:dynamodb:updateItem",
    "arn:aws:states:::aws-sdk:dynamodb:deleteItem",
    "arn:aws:states:::aws-sdk:dynamodb:query",
    "arn:aws:states:::aws-sdk:dynamodb:scan",
    "arn:aws:states:::aws-sdk:dynamodb:batchGetItem",
    "arn:aws:states:::aws-sdk:dynamodb:batchWriteItem",
    "arn:aws:states:::aws-sdk:dynamodb:transactWriteItems",
];

#[cfg(test)]
mod tests {
    use super::operations::Operation;

    #[test]
    fn the_resources_are_the_operations_served() {
        for resource in super::RESOURCES {
            assert!(Operation::of_resource(resource).is_some(), "{resource}");
        }
        let served = Operation::ALL.iter().map(|o| if o.optimized() { 2 } else { 1 }).sum::<usize>();
        assert_eq!(served, super::RESOURCES.len());
        assert_eq!(Operation::of_resource("arn:aws:states:::dynamodb:query"), None, "no optimized query");
    }
}
