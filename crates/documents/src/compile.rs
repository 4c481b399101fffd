//! Driving typst: one compiler per template, data injected as `sys.inputs`.
//!
//! Owns the typst world (the template, the shared `common.typ`, the fonts — and no
//! file system, no packages, no network), turning JSON into typst values, and turning
//! typst diagnostics into [`TemplateProblem`]s with a file, line and column. It must
//! not know document kinds or signatures.

use std::panic::{AssertUnwindSafe, catch_unwind};

use typst::World as _;
use typst::WorldExt as _;
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Array, Dict, IntoValue, Str, Value};
use typst::syntax::DiagSpan;
use typst_as_lib::{TypstEngine, TypstWorld};
use typst_layout::PagedDocument;

use crate::fonts::Fonts;
use crate::template::{COMMON, TemplateProblem};

/// How many comemo evictions a memoised result survives. Keeping a few lets the
/// layout of the shared parts be reused across a bulk run while bounding memory.
const EVICT_MAX_AGE: usize = 4;

/// A compiled-on-demand template.
pub(crate) struct Compiler {
    engine: TypstEngine,
    main: String,
}

impl Compiler {
    /// A compiler for `source`, known to typst as `{name}.typ`, next to `common.typ`.
    pub(crate) fn new(name: &str, source: &str, fonts: &Fonts) -> Self {
        let main = format!("{name}.typ");
        let engine = TypstEngine::builder()
            .fonts(fonts.faces().iter().cloned())
            .with_static_source_file_resolver([
                (main.as_str(), source.to_owned()),
                ("common.typ", COMMON.to_owned()),
            ])
            .comemo_evict_max_age(Some(EVICT_MAX_AGE))
            .build();
        Self { engine, main }
    }

    /// Lays the template out with `inputs`. Errors — and, when `strict`, warnings — are
    /// returned as problems; there is never a partial document.
    pub(crate) fn compile(
        &self,
        inputs: Dict,
        strict: bool,
    ) -> Result<PagedDocument, Vec<TemplateProblem>> {
        let world = self
            .engine
            .world_builder(self.main.as_str())
            .with_inputs(inputs)
            .build()
            .map_err(|e| vec![TemplateProblem::general(&self.main, e.to_string())])?;
        // An administrator's template must not take the issuing process down with it.
        let result = catch_unwind(AssertUnwindSafe(|| typst::compile::<PagedDocument>(&world)));
        typst::comemo::evict(EVICT_MAX_AGE);
        let Warned { output, warnings } = result.map_err(|_| {
            vec![TemplateProblem::general(
                &self.main,
                "the typesetter stopped unexpectedly on this template".into(),
            )]
        })?;
        let problems = |diags: &[SourceDiagnostic]| -> Vec<TemplateProblem> {
            diags.iter().map(|d| self.problem(&world, d)).collect()
        };
        match output {
            Err(errors) => Err(problems(&errors)),
            Ok(_) if strict && !warnings.is_empty() => Err(problems(&warnings)),
            Ok(document) => Ok(document),
        }
    }

    /// Places a diagnostic in the template where possible: its own span if it is in
    /// the template, else the template line whose call led to it.
    fn problem(&self, world: &TypstWorld<'_>, diag: &SourceDiagnostic) -> TemplateProblem {
        let severity = match diag.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = format!("{severity}: {}", diag.message);
        for hint in &diag.hints {
            message.push_str(&format!(" (hint: {})", hint.v));
        }
        let own = locate(world, diag.span);
        let in_main = |loc: &Option<Location>| loc.as_ref().is_some_and(|l| l.file == self.main);
        if in_main(&own) || diag.span.is_detached() {
            return TemplateProblem::at(own, &self.main, message);
        }
        let caller = diag
            .trace
            .iter()
            .map(|point| locate(world, point.span.into()))
            .find(in_main)
            .flatten();
        if let (Some(inner), true) = (&own, caller.is_some()) {
            message.push_str(&format!(" (in {} line {})", inner.file, inner.line));
        }
        TemplateProblem::at(caller.or(own), &self.main, message)
    }
}

/// A 1-based place in a source file.
pub(crate) struct Location {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

fn locate(world: &TypstWorld<'_>, span: DiagSpan) -> Option<Location> {
    let id = span.id()?;
    let source = world.source(id).ok()?;
    let range = world.range(span)?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    Some(Location {
        file: id.get().vpath().file_name()?.to_owned(),
        line: line + 1,
        column: column + 1,
    })
}

/// JSON as typst values: objects become dictionaries, arrays arrays, null `none`.
pub(crate) fn to_value(json: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::None,
        J::Bool(b) => b.into_value(),
        J::Number(n) => match n.as_i64() {
            Some(i) => i.into_value(),
            None => n.as_f64().unwrap_or(f64::NAN).into_value(),
        },
        J::String(s) => s.as_str().into_value(),
        J::Array(items) => Value::Array(items.iter().map(to_value).collect::<Array>()),
        J::Object(map) => Value::Dict(
            map.iter()
                .map(|(k, v)| (Str::from(k.as_str()), to_value(v)))
                .collect::<Dict>(),
        ),
    }
}
