//! Render benchmark: median time per licence with the font loaded, then 1,000
//! licences in bulk (total time and peak RSS from /proc/self/status VmHWM).
//!
//! Run with `cargo bench -p onewindow-documents`. Needs Noto Serif CJK
//! (`apt-get install fonts-noto-cjk`); with ONEWINDOW_SKIP_DOCUMENT_TOOLS=1 it skips.

use std::time::{Duration, Instant};

use onewindow_documents::{
    DocumentData, DocumentKind, Fonts, Renderer, Signer, TemplateSet, sample_data,
};

const SAMPLES: usize = 60;
const BULK: usize = 1_000;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; nothing to list.
    }
    let started = Instant::now();
    let fonts = match Fonts::discover() {
        Ok(fonts) => fonts,
        Err(e) if std::env::var("ONEWINDOW_SKIP_DOCUMENT_TOOLS").is_ok_and(|v| v == "1") => {
            println!("skipped: {e}");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    println!("fonts loaded in {:?} ({fonts:?})", started.elapsed());
    println!("RSS after loading fonts: {} MB", status_mb("VmRSS"));

    let renderer = Renderer::new(
        &fonts,
        &TemplateSet::builtin(),
        Signer::from_seed([1; 32]),
        "https://zw.example.gov.cn",
    );
    let first = Instant::now();
    let doc = renderer.render(&licence(0)).expect("the licence renders");
    println!(
        "first render (cold caches): {:?}, {} bytes, {} page(s)",
        first.elapsed(),
        doc.pdf.len(),
        doc.pages
    );

    for kind in [DocumentKind::LicenceOriginal, DocumentKind::DenialDecision] {
        let mut times: Vec<Duration> = (1..=SAMPLES)
            .map(|i| {
                let data = numbered(sample_data(kind), i);
                let t = Instant::now();
                renderer.render(&data).expect("renders");
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "{kind}: median {:?}, p90 {:?}, min {:?} over {SAMPLES} renders",
            times[SAMPLES / 2],
            times[SAMPLES * 9 / 10],
            times[0]
        );
    }

    let t = Instant::now();
    let mut bytes = 0usize;
    for i in 0..BULK {
        bytes += renderer.render(&licence(i)).expect("renders").pdf.len();
    }
    let total = t.elapsed();
    println!(
        "bulk, 1 thread: {BULK} licences in {:.2?} ({:.1} ms each, {:.0}/s), {} MB of PDF, peak RSS {} MB",
        total,
        total.as_secs_f64() * 1000.0 / BULK as f64,
        BULK as f64 / total.as_secs_f64(),
        bytes / 1_000_000,
        status_mb("VmHWM")
    );

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let renderer = &renderer;
            scope.spawn(move || {
                for i in (worker..BULK).step_by(threads) {
                    renderer.render(&licence(i)).expect("renders");
                }
            });
        }
    });
    let total = t.elapsed();
    println!(
        "bulk, {threads} threads: {BULK} licences in {:.2?} ({:.0}/s), peak RSS {} MB",
        total,
        BULK as f64 / total.as_secs_f64(),
        status_mb("VmHWM")
    );
}

/// A licence with its own number and holder, as in a real bulk re-render.
fn licence(i: usize) -> DocumentData {
    numbered(sample_data(DocumentKind::LicenceOriginal), i)
}

fn numbered(mut data: DocumentData, i: usize) -> DocumentData {
    data.number = format!("{}-{i:05}", data.number);
    data.holder.name = format!("{}第{i}分厂", data.holder.name);
    data
}

/// A `/proc/self/status` value (kB) in MB.
fn status_mb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
