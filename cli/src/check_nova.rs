//! `ecs-password check --openstack-roles ...`: Nova's policy for plain OpenStack.

use crate::check::{Answer, CheckArgs};
use crate::output::CliError;

pub fn run(_args: &CheckArgs) -> Result<Answer, CliError> {
    Err(CliError::usage("OpenStack policy checks are not available yet.".into()))
}
