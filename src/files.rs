//! Where attached documents' contents are kept: an object store (`object_store`), the
//! local file system by default (`data/files/`), an S3-compatible bucket for several
//! instances. Contents are named by their SHA-256, so a file attached twice is kept
//! once. An upload is first received into a local staging file (hashed, its first bytes
//! kept for the type check, its size bounded while it arrives), then copied into the
//! store in parts: whatever the file's size, memory holds one part at most.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use crate::config::{FileSettings, FileStoreKind, Settings};
use crate::domain::attachments::SNIFF_BYTES;
use crate::hex::hex;

/// The store's parts: S3 wants 5 MiB at least (but the last).
const PART_BYTES: usize = 8 * 1024 * 1024;

pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// Local directory of uploads being received.
    staging: PathBuf,
    /// "local" or "s3", for the logs and the health page.
    pub kind: &'static str,
}

/// A file received whole into staging: its hash, size and first bytes. Dropped, the
/// staging file goes with it (an upload refused or failed leaves nothing).
pub struct Received {
    file: tempfile::NamedTempFile,
    pub sha256: String,
    pub size: i64,
    pub head: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    /// More bytes than allowed arrived; what came is already deleted.
    #[error("file larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The client's stream broke off (or could not be read).
    #[error("upload interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Received {
    /// What the file holds if it is a ZIP archive (the office formats), read from its
    /// directory; `None` when it is not one or cannot be read as one.
    pub fn archive(&self) -> Option<crate::domain::attachments::Archive> {
        if !crate::domain::attachments::is_zip(&self.head) {
            return None;
        }
        let file = self.file.reopen().ok()?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
        let names = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        let mimetype = zip.by_name("mimetype").ok().and_then(|entry| {
            let mut text = String::new();
            entry.take(200).read_to_string(&mut text).ok()?;
            Some(text)
        });
        Some(crate::domain::attachments::Archive { names, mimetype })
    }
}

impl FileStore {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let files = &settings.files;
        let staging = settings.data_dir.join("uploads");
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("impossible de créer {}", staging.display()))?;
        let (store, kind): (Arc<dyn ObjectStore>, _) = match files.store {
            FileStoreKind::Local => {
                let dir = local_dir(settings, files);
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("impossible de créer {}", dir.display()))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)
                    .with_context(|| format!("stockage des fichiers {}", dir.display()))?;
                (Arc::new(store), "local")
            }
            FileStoreKind::S3 => {
                // Credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
                // never from the configuration files.
                let mut builder = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(&files.s3_bucket)
                    .with_region(&files.s3_region);
                if !files.s3_endpoint.is_empty() {
                    builder = builder
                        .with_endpoint(&files.s3_endpoint)
                        .with_allow_http(files.s3_endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                let store = builder.build().context("stockage S3 des fichiers")?;
                (Arc::new(store), "s3")
            }
        };
        Ok(Self {
            store,
            staging,
            kind,
        })
    }

    /// Receives `body` into staging, at most `limit` bytes: refused as soon as one more
    /// arrives.
    pub async fn receive<S, E>(&self, mut body: S, limit: u64) -> Result<Received, ReceiveError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Debug,
    {
        let file = tempfile::NamedTempFile::new_in(&self.staging)?;
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(SNIFF_BYTES.min(4096));
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| ReceiveError::Interrupted(format!("{e:?}")))?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(ReceiveError::TooLarge { limit });
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            out.write_all(&chunk)?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        Ok(Received {
            file,
            sha256: hex(&hasher.finalize()),
            size: size as i64,
            head,
        })
    }

    /// Puts a received content in the store under its hash, unless it is there already.
    pub async fn keep(&self, received: &Received) -> anyhow::Result<()> {
        let path = key(&received.sha256);
        match self.store.head(&path).await {
            Ok(meta) if meta.size == received.size as u64 => return Ok(()),
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e).context("stockage des fichiers"),
        }
        let mut file = received.file.reopen()?;
        if received.size as usize <= PART_BYTES {
            let mut bytes = Vec::with_capacity(received.size as usize);
            file.read_to_end(&mut bytes)?;
            self.store
                .put(&path, PutPayload::from(bytes))
                .await
                .context("stockage des fichiers")?;
            return Ok(());
        }
        let mut upload = self
            .store
            .put_multipart(&path)
            .await
            .context("stockage des fichiers")?;
        let copied: anyhow::Result<()> = async {
            loop {
                let mut part = Vec::with_capacity(PART_BYTES);
                (&mut file).take(PART_BYTES as u64).read_to_end(&mut part)?;
                if part.is_empty() {
                    break;
                }
                upload.put_part(PutPayload::from(part)).await?;
            }
            upload.complete().await?;
            Ok(())
        }
        .await;
        if copied.is_err() {
            let _ = upload.abort().await;
        }
        copied.context("stockage des fichiers")
    }

    /// The content named `sha256`, as a stream of chunks.
    pub async fn read(
        &self,
        sha256: &str,
    ) -> anyhow::Result<BoxStream<'static, Result<Bytes, std::io::Error>>> {
        let found = self
            .store
            .get(&key(sha256))
            .await
            .context("lecture d'un fichier")?;
        Ok(match found.payload {
            // object_store reads a local file 8 KB per blocking task: a 2 GB bundle spent
            // most of its time starting them. 256 KB each here.
            object_store::GetResultPayload::File(file, _) => file_chunks(file),
            object_store::GetResultPayload::Stream(stream) => stream
                .map(|chunk| chunk.map_err(std::io::Error::other))
                .boxed(),
        })
    }

    /// Deletes a content nobody names any more (gone already: fine).
    pub async fn remove(&self, sha256: &str) -> anyhow::Result<()> {
        match self.store.delete(&key(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).context("suppression d'un fichier"),
        }
    }

    /// Whether the store holds `sha256` (tests, the bundle's checks).
    pub async fn holds(&self, sha256: &str) -> anyhow::Result<bool> {
        match self.store.head(&key(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e).context("stockage des fichiers"),
        }
    }

    /// How many uploads are being received now (tests: an interrupted one leaves none).
    pub fn staged(&self) -> usize {
        std::fs::read_dir(&self.staging).map_or(0, |d| d.count())
    }
}

/// A local file as chunks of 256 KB, each read on the blocking pool.
fn file_chunks(file: std::fs::File) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    const CHUNK: u64 = 256 * 1024;
    futures_util::stream::try_unfold(Some(file), |file| async move {
        let Some(mut file) = file else {
            return Ok(None);
        };
        let (file, chunk) = tokio::task::spawn_blocking(move || {
            let mut chunk = Vec::with_capacity(CHUNK as usize);
            (&mut file).take(CHUNK).read_to_end(&mut chunk)?;
            Ok::<_, std::io::Error>((file, chunk))
        })
        .await
        .map_err(std::io::Error::other)??;
        if chunk.is_empty() {
            return Ok(None);
        }
        Ok(Some((Bytes::from(chunk), Some(file))))
    })
    .boxed()
}

fn local_dir(settings: &Settings, files: &FileSettings) -> PathBuf {
    let dir = PathBuf::from(&files.dir);
    if dir.is_absolute() {
        dir
    } else {
        settings.data_dir.join(dir)
    }
}

/// `ab/cd/abcd…`: two levels of directories, so that no directory holds millions.
fn key(sha256: &str) -> StorePath {
    let (a, b) = (
        &sha256[..2.min(sha256.len())],
        &sha256[2.min(sha256.len())..4.min(sha256.len())],
    );
    StorePath::from(format!("{a}/{b}/{sha256}"))
}
