//! The library of guidance documents: every signed-in account reads and searches it; province admins add,
//! edit and delete. Uploaded files are checked by their content, not their name, and kept with a checksum.

use crate::scope;
use crate::{Caller, Error};
use cnscd_domain::library::{cited_documents, DocumentDraft, DocumentKind, ValidDocument};
use cnscd_store::{DocumentFilter, DocumentOwner, LibraryDocument, NewFile, Store, StoredFile};
use sha2::{Digest, Sha256};

/// The largest file the library takes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
const MAX_QUERY_CHARS: usize = 100;
const MAX_FILE_NAME_CHARS: usize = 120;

/// What the library takes, recognised by content: (content type, the extensions it goes by, what people call it).
const ACCEPTED: [(&str, &[&str], &str); 6] = [
    ("application/pdf", &["pdf"], "PDF"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
        "Word (.docx)",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
        "Excel (.xlsx)",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        &["pptx"],
        "PowerPoint (.pptx)",
    ),
    ("image/jpeg", &["jpg", "jpeg"], "ảnh JPG"),
    ("image/png", &["png"], "ảnh PNG"),
];

fn unreadable(message: String) -> Error {
    Error::Unreadable(message)
}

/// Checks an upload by its bytes: one of the accepted kinds, named as what it is; answers how it is stored.
pub fn check_file(name: &str, bytes: Vec<u8>) -> Result<NewFile, Error> {
    // The last part of a path some browsers send, without what could break a header or a page.
    let name: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() || c == '"' { '_' } else { c })
        .collect();
    let name = name.trim().to_string();
    if bytes.is_empty() {
        return Err(unreadable(format!("Tệp «{name}» rỗng.")));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "Tệp «{name}» lớn quá {} MB: hãy nén lại hoặc đưa đường dẫn tới trang đăng văn bản.",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let allowed = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), ảnh JPG hoặc PNG";
    let detected = infer::get(&bytes).map(|t| t.mime_type());
    let Some((content_type, extensions, label)) =
        ACCEPTED.iter().find(|(mime, _, _)| Some(*mime) == detected)
    else {
        return Err(unreadable(format!(
            "Nội dung tệp «{name}» không phải {allowed} (máy đọc nội dung, không chỉ tên tệp): thư viện không nhận."
        )));
    };
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    if !extensions.contains(&extension.as_str()) {
        return Err(unreadable(format!(
            "Tệp «{name}» có nội dung là {label} nhưng tên không khớp: hãy đặt tên đuôi .{}.",
            extensions[0]
        )));
    }
    let name: String = name.chars().take(MAX_FILE_NAME_CHARS).collect();
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(NewFile {
        file: StoredFile {
            name,
            content_type: content_type.to_string(),
            size: bytes.len() as i64,
            sha256,
        },
        bytes,
    })
}

/// Which documents to list, as asked.
#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    pub query: String,
    pub kind: Option<String>,
    pub area: Option<String>,
}

/// The province's library (with the letter's documents the first time), newest first.
pub async fn list(
    store: &Store,
    caller: &Caller,
    query: &LibraryQuery,
) -> Result<Vec<LibraryDocument>, Error> {
    if query.query.chars().count() > MAX_QUERY_CHARS {
        return Err(cnscd_domain::FieldError::new(
            "q",
            "too_long",
            format!("Hãy gõ ngắn hơn {MAX_QUERY_CHARS} ký tự."),
        )
        .into());
    }
    store
        .seed_library(caller.province_code(), &cited_documents())
        .await?;
    let filter = DocumentFilter {
        query: query.query.clone(),
        kind: query
            .kind
            .as_deref()
            .filter(|k| !k.is_empty())
            .and_then(DocumentKind::from_code),
        area: query.area.clone().filter(|a| !a.is_empty()),
    };
    Ok(store.documents(caller.province_code(), &filter).await?)
}

/// A document of the caller's province, or "not found".
pub async fn get(store: &Store, caller: &Caller, id: i64) -> Result<LibraryDocument, Error> {
    match store.document(id).await {
        Ok(document) if document.province_code == caller.province_code() => Ok(document),
        Ok(_) | Err(cnscd_store::StoreError::NotFound(_)) => Err(Error::NotFound("văn bản")),
        Err(other) => Err(other.into()),
    }
}

pub async fn file(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> Result<(LibraryDocument, Vec<u8>), Error> {
    get(store, caller, id).await?;
    Ok(store.document_file(id).await?)
}

/// A document's description, checked; its date not after today (a typing slip in the year).
fn checked(store: &Store, draft: &DocumentDraft) -> Result<ValidDocument, Error> {
    let valid = draft.validate()?;
    let today = store.clock().today();
    if valid.issued_on.is_some_and(|on| on > today) {
        return Err(cnscd_domain::FieldError::new(
            "issued_on",
            "date_in_future",
            "Ngày ban hành sau hôm nay: hãy kiểm tra lại năm.",
        )
        .into());
    }
    Ok(valid)
}

pub async fn create(
    store: &Store,
    caller: &Caller,
    draft: &DocumentDraft,
    file: Option<NewFile>,
) -> Result<LibraryDocument, Error> {
    scope::admin(caller)?;
    let valid = checked(store, draft)?;
    Ok(store
        .create_document(caller.province_code(), &valid, file, &caller.actor())
        .await?)
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    id: i64,
    version: i64,
    draft: &DocumentDraft,
    file: Option<NewFile>,
) -> Result<LibraryDocument, Error> {
    scope::admin(caller)?;
    get(store, caller, id).await?;
    let valid = checked(store, draft)?;
    Ok(store
        .update_document(id, version, &valid, file, &caller.actor())
        .await?)
}

pub async fn delete(store: &Store, caller: &Caller, id: i64, version: i64) -> Result<(), Error> {
    scope::admin(caller)?;
    get(store, caller, id).await?;
    Ok(store.delete_document(id, version, &caller.actor()).await?)
}

/// Points a class's trainees or a round's communes to a document of the library, or stops (province admins).
pub async fn link(
    store: &Store,
    caller: &Caller,
    owner: DocumentOwner,
    document_id: i64,
    linked: bool,
) -> Result<(), Error> {
    scope::admin(caller)?;
    match owner {
        DocumentOwner::Class(id) => {
            crate::training::class(store, caller, id).await?;
        }
        DocumentOwner::Round(id) => {
            scope::round(store, caller, id, scope::Intent::Read).await?;
        }
    }
    get(store, caller, document_id).await?;
    Ok(store
        .link_document(owner, document_id, linked, &caller.actor())
        .await?)
}

/// The documents a class or a round points to (its readers read them).
pub async fn of_owner(
    store: &Store,
    caller: &Caller,
    owner: DocumentOwner,
) -> Result<Vec<LibraryDocument>, Error> {
    match owner {
        DocumentOwner::Class(id) => {
            crate::training::class(store, caller, id).await?;
        }
        DocumentOwner::Round(id) => {
            scope::round(store, caller, id, scope::Intent::Read).await?;
        }
    }
    Ok(store.owner_documents(owner).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content_not_their_name() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
        let stored = check_file("Hướng dẫn 557.pdf", pdf.clone()).unwrap();
        assert_eq!(stored.file.content_type, "application/pdf");
        assert_eq!(stored.file.sha256.len(), 64);
        let html = b"<!doctype html><script>alert(1)</script>".to_vec();
        let refused = check_file("huong-dan.pdf", html).err().unwrap().to_string();
        assert!(refused.contains("không phải"), "{refused}");
        let refused = check_file("anh.png", pdf).err().unwrap().to_string();
        assert!(refused.contains("đuôi .pdf"), "{refused}");
        assert!(check_file("rong.pdf", Vec::new()).is_err());
        assert_eq!(
            check_file("../../etc/x.pdf", b"%PDF-1.4".to_vec())
                .unwrap()
                .file
                .name,
            "x.pdf"
        );
    }
}
