//! Running one API method from a command line: parse the arguments against the
//! method's schema (plus the standard output options), verify them as the server will,
//! call the API, print the result. Shared by `pvesh` and `pveum`.

use crate::failure::CliError;
use crate::getopt::{self, Args};
use crate::output;
use crate::session::Session;
use crate::stdopts::{self, Given};
use crate::tree::Method;
use serde_json::{Map, Value};
use virton_router::HttpMethod;
use virton_schema::ObjectSchema;

/// Parses `argv` against `schema`: options, then positional `arg_names`, typed.
pub fn parse(
    schema: &ObjectSchema,
    argv: &[String],
    arg_names: &[&str],
    skip: &[&str],
) -> Result<Args, CliError> {
    let mut parsed = getopt::getopt(&getopt::specs(schema, skip), argv)?;
    getopt::assign_positional(&mut parsed, arg_names, schema)?;
    getopt::typed(schema, parsed)
}

/// One method call as a command.
pub struct Call<'a> {
    /// The method.
    pub method: &'a Method,
    /// Its verb.
    pub verb: HttpMethod,
    /// The concrete path (placeholders filled).
    pub path: String,
    /// Values of the path's placeholders.
    pub path_params: Map<String, Value>,
}

impl Call<'_> {
    /// Verifies `args`, calls the API and renders the result per the method's return
    /// schema (`props` limits object columns).
    pub fn run(&self, s: &mut Session<'_>, args: &Args, out: &Given) -> Result<Value, CliError> {
        getopt::verify(self.method.parameters(), args, &self.path_params)?;
        let params: Vec<(String, String)> = getopt::to_params(args)
            .into_iter()
            .filter(|(k, _)| !self.path_params.contains_key(k))
            .collect();
        let data = s.api.call(self.verb, &self.path, &params)?;
        let text = output::render(&data, self.method.returns(), None, &out.options, &s.term)?;
        s.print(&text);
        Ok(data)
    }
}

/// Removes and returns the standard output options from `args`.
pub fn output_options(args: &mut Args) -> Result<Given, CliError> {
    stdopts::extract(args)
}
