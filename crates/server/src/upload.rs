//! Multipart file uploads (`POST /nodes/{n}/storage/{s}/upload`): the file part
//! is streamed to a temporary file on disk chunk by chunk, never held in memory;
//! the other parts become parameters.
//!
//! As upstream: the file part must be named `filename` and carry a file name; the
//! handler gets the original name as `filename` and the temporary file's path as
//! `tmpfilename`. The temporary file is removed when the request is done unless
//! the handler moved it away.

use crate::request::{content_length, media_type, MAX_BODY};
use crate::response::Reply;
use http::HeaderMap;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::{Map, Value};
use std::path::Path;
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

/// A received upload: its parameters and the temporary file holding the data.
#[derive(Debug)]
pub struct Upload {
    /// Form fields plus `filename` (original name) and `tmpfilename`.
    pub params: Map<String, Value>,
    /// Removes the temporary file when dropped.
    pub temp: TempPath,
}

/// Receive a multipart upload into a new temporary file in `dir`.
pub async fn receive(headers: &HeaderMap, body: Incoming, dir: &Path) -> Result<Upload, Reply> {
    let raw_ct = headers
        .get(http::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let not_multipart = || {
        Reply::bare(
            501,
            &format!("upload 'Content-Type '{raw_ct}' not implemented"),
        )
    };
    if media_type(headers).as_deref() != Some("multipart/form-data") {
        return Err(not_multipart());
    }
    let boundary = multer::parse_boundary(&raw_ct).map_err(|_| not_multipart())?;
    if content_length(headers) == 0 {
        return Err(Reply::bare(
            501,
            "upload without content length header not supported",
        ));
    }
    let temp = new_temp_file(dir).await?;
    let stream = body.into_data_stream();
    let limits = multer::SizeLimit::new()
        .for_field("filename", u64::MAX)
        .per_field(MAX_BODY as u64);
    let constraints = multer::Constraints::new().size_limit(limits);
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let mut params = read_parts(&mut multipart, &temp.path).await?;
    let path = temp.path.to_string_lossy().into_owned();
    params.insert("tmpfilename".into(), Value::String(path));
    Ok(Upload {
        params,
        temp: temp.path,
    })
}

/// Walk the parts: the `filename` file part goes to `file`, the others become
/// parameters (plus `filename` = the original file name).
async fn read_parts(
    multipart: &mut multer::Multipart<'_>,
    file: &Path,
) -> Result<Map<String, Value>, Reply> {
    let mut params = Map::new();
    let mut got_file = false;
    while let Some(field) = multipart.next_field().await.map_err(upload_failed)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) if name == "filename" && !got_file => {
                write_field(field, file).await?;
                params.insert("filename".into(), Value::String(file_name));
                got_file = true;
            }
            Some(_) => {
                return Err(Reply::bare(
                    501,
                    "wrong field name for file upload - abort upload",
                ))
            }
            None if name.is_empty() => {
                return Err(Reply::bare(
                    501,
                    "wrong content disposition in multipart - abort upload",
                ))
            }
            None => {
                let text = field.text().await.map_err(upload_failed)?;
                params.insert(name, Value::String(text));
            }
        }
    }
    if !got_file {
        return Err(Reply::bare(501, "upload failed"));
    }
    Ok(params)
}

struct NewTemp {
    path: TempPath,
}

async fn new_temp_file(dir: &Path) -> Result<NewTemp, Reply> {
    let dir = dir.to_path_buf();
    let made = tokio::task::spawn_blocking(move || -> std::io::Result<TempPath> {
        std::fs::create_dir_all(&dir)?;
        let file = tempfile::Builder::new()
            .prefix("pveupload-")
            .rand_bytes(16)
            .tempfile_in(&dir)?;
        Ok(file.into_temp_path())
    })
    .await;
    match made {
        Ok(Ok(path)) => Ok(NewTemp { path }),
        Ok(Err(e)) => Err(Reply::bare(
            501,
            &format!("unable to create temporary upload file - {e}"),
        )),
        Err(e) => Err(Reply::bare(
            501,
            &format!("unable to create temporary upload file - {e}"),
        )),
    }
}

async fn write_field(mut field: multer::Field<'_>, path: &Path) -> Result<(), Reply> {
    let write_failed =
        |e: std::io::Error| Reply::bare(501, &format!("write to temporary file failed - {e}"));
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .await
        .map_err(write_failed)?;
    while let Some(chunk) = field.chunk().await.map_err(upload_failed)? {
        file.write_all(&chunk).await.map_err(write_failed)?;
    }
    file.flush().await.map_err(write_failed)?;
    file.sync_all().await.map_err(write_failed)
}

fn upload_failed(e: multer::Error) -> Reply {
    Reply::bare(501, &format!("upload failed - {e}"))
}
