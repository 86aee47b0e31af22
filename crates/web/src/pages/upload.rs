//! Reading a multipart form: its one file and its text fields.

use crate::error::Error;
use axum::extract::Multipart;

/// A file chosen in a form.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form's `file` (none when no file was chosen) and its other fields. The route's body limit
/// bounds the whole form.
pub async fn read_form(
    mut multipart: Multipart,
) -> Result<(Option<Upload>, Vec<(String, String)>), Error> {
    let mut upload = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Error::BadRequest(format!("Tải tệp lên không thành công: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            upload = Some(Upload {
                name: file_name,
                bytes: bytes.to_vec(),
            });
        } else {
            fields.push((name, field.text().await.unwrap_or_default()));
        }
    }
    // A browser sends an empty part without a name when no file was chosen.
    let upload = upload.filter(|f| !(f.name.is_empty() && f.bytes.is_empty()));
    Ok((upload, fields))
}

/// The chosen file, or what to tell the person: choose one, or the one chosen is empty.
pub fn chosen(upload: Option<Upload>, kinds: &str) -> Result<Upload, String> {
    match upload {
        None => Err(format!("Hãy chọn một tệp {kinds}.")),
        Some(file) if file.bytes.is_empty() => Err(format!(
            "Tệp «{}» rỗng (0 byte): có thể tệp chưa được lưu. Hãy mở tệp, lưu lại rồi chọn lại.",
            file.name
        )),
        Some(file) => Ok(file),
    }
}

/// The value of a text field of the form (empty if absent).
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}
