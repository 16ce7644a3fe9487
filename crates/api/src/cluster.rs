//! `/cluster`: filled in by its owner.

use crate::Context;
use virton_router::Router;

/// Routes of `/cluster`.
pub fn router() -> Router<Context> {
    Router::new()
}
