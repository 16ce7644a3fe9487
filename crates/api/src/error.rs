//! The one mapping from domain errors to API errors (status and upstream wording).

use virton_config::store::StoreError;
use virton_router::ApiError;

/// Converts a domain result into an API result.
pub trait OrApi<T> {
    /// Maps the error to an [`ApiError`].
    fn or_api(self) -> Result<T, ApiError>;
}

impl<T> OrApi<T> for Result<T, StoreError> {
    fn or_api(self) -> Result<T, ApiError> {
        self.map_err(|e| match e {
            StoreError::DigestMismatch(m) => ApiError::internal(m),
            StoreError::BadPath(_) => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(other.to_string()),
        })
    }
}

impl<T> OrApi<T> for Result<T, virton_access::perm::PermissionError> {
    fn or_api(self) -> Result<T, ApiError> {
        self.map_err(|e| ApiError::forbidden(e.to_string()))
    }
}

impl<T> OrApi<T> for Result<T, virton_tasks::TaskError> {
    fn or_api(self) -> Result<T, ApiError> {
        use virton_tasks::TaskError;
        self.map_err(|e| match e {
            TaskError::InvalidUpid(_) | TaskError::InvalidField { .. } => {
                ApiError::bad_request(e.to_string())
            }
            other => ApiError::internal(other.to_string()),
        })
    }
}

impl<T> OrApi<T> for Result<T, virton_access::admin::AdminError> {
    fn or_api(self) -> Result<T, ApiError> {
        use virton_access::admin::AdminError;
        self.map_err(|e| match e {
            AdminError::Failed(m) => ApiError::internal(m),
            AdminError::Param { param, message } => ApiError::param(param, message),
            AdminError::Denied(m) => ApiError::forbidden(m),
            AdminError::Store(s) => match Err::<(), _>(s).or_api() {
                Err(api) => api,
                Ok(()) => ApiError::internal("unexpected success"),
            },
        })
    }
}
