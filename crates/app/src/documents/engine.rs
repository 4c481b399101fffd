//! The rendering engine the app holds: the CJK font, found once and kept (a missing font is an
//! error saying how to install it, retried on the next use so installing it needs no restart),
//! and a renderer built for the current signing key and template versions, rebuilt when either
//! changes (another instance may have rotated the key or saved a template). Typesetting is CPU
//! work, so it runs on tokio's blocking pool (or the background worker's low-priority thread,
//! `typesetter.rs`), never on the threads that serve requests.

use std::sync::{Arc, Mutex};

use onewindow_documents::{
    DocumentKind, Fonts, RenderError, RenderedDocument, Renderer, Signer, TemplateSet,
};
use onewindow_store::TemplateVersion;

use super::Typesetter;
use crate::AppError;

/// Where the verification links in QR codes point when nothing is configured.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Fonts, the public URL and the renderer in use.
pub struct DocumentEngine {
    public_url: String,
    fonts: tokio::sync::OnceCell<Fonts>,
    renderer: Mutex<Option<Cached>>,
}

struct Cached {
    key_id: String,
    templates_revision: i64,
    renderer: Arc<Renderer>,
}

impl Default for DocumentEngine {
    fn default() -> Self {
        Self::new(DEFAULT_PUBLIC_URL)
    }
}

/// Runs CPU-heavy work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Unavailable(format!("document rendering stopped: {e}")))
}

impl DocumentEngine {
    /// An engine whose QR codes link to `public_url` (e.g. `https://zw.example.gov.cn`).
    pub fn new(public_url: &str) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
            fonts: tokio::sync::OnceCell::new(),
            renderer: Mutex::new(None),
        }
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The fonts, discovered on first use. Callers arriving while they load wait for that one
    /// load instead of loading their own copy (the demo seed renders many documents at once:
    /// each copy of the two faces was ≈ 50 MB, kept alive by typst's caches).
    pub async fn fonts(&self) -> Result<Fonts, AppError> {
        self.fonts
            .get_or_try_init(|| async {
                blocking(Fonts::discover).await?.map_err(|e| {
                    AppError::Unavailable(format!("documents cannot be rendered: {e}"))
                })
            })
            .await
            .cloned()
    }

    /// The renderer built for this key and templates revision, if it is still the cached one.
    pub(crate) fn cached(&self, signer: &Signer, templates_revision: i64) -> Option<Arc<Renderer>> {
        let key_id = signer.key_id().to_string();
        self.lock()
            .as_ref()
            .filter(|c| c.key_id == key_id && c.templates_revision == templates_revision)
            .map(|c| c.renderer.clone())
    }

    /// Builds (and caches) the renderer for this key and these saved templates.
    pub(crate) async fn build(
        &self,
        signer: Signer,
        templates_revision: i64,
        saved: Vec<TemplateVersion>,
    ) -> Result<Arc<Renderer>, AppError> {
        let key_id = signer.key_id().to_string();
        let fonts = self.fonts().await?;
        let set = template_set(&saved);
        let url = self.public_url.clone();
        let renderer = Arc::new(blocking(move || Renderer::new(&fonts, &set, signer, &url)).await?);
        *self.lock() = Some(Cached {
            key_id,
            templates_revision,
            renderer: renderer.clone(),
        });
        Ok(renderer)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.renderer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The shipped templates with the newest saved version of each put in.
pub(crate) fn template_set(saved: &[TemplateVersion]) -> TemplateSet {
    let mut set = TemplateSet::builtin();
    for version in saved {
        match kind_of_template(&version.template) {
            Some(kind) => set.use_saved(kind, &version.source),
            None => tracing::warn!(
                template = version.template,
                "a saved template has a name no document kind uses; ignored"
            ),
        }
    }
    set
}

/// The first kind rendered with this template.
pub(crate) fn kind_of_template(name: &str) -> Option<DocumentKind> {
    DocumentKind::ALL.into_iter().find(|k| k.template() == name)
}

/// Renders on the typesetting thread if there is one, else on the blocking pool.
pub(crate) async fn render(
    renderer: Arc<Renderer>,
    data: onewindow_documents::DocumentData,
    typesetter: Option<&Typesetter>,
) -> Result<Result<RenderedDocument, RenderError>, AppError> {
    let work = move || renderer.render(&data);
    match typesetter {
        Some(typesetter) => typesetter.run(work).await,
        None => blocking(work).await,
    }
}
