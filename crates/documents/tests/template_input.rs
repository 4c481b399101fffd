//! Snapshots of exactly what each template receives (`sys.inputs`, minus the QR SVG).
//!
//! The key is fixed, so payloads and links are stable: a change here is a change to
//! the signed data format or to the template contract, and must be reviewed.

use onewindow_documents::{DocumentKind, Signer, TemplateInput, sample_data};

#[test]
fn the_data_each_template_receives_is_stable() {
    let signer = Signer::from_seed([42; 32]);
    for kind in DocumentKind::ALL {
        let input = TemplateInput::new(&sample_data(kind), &signer, "https://zw.example.gov.cn")
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        insta::assert_json_snapshot!(kind.slug(), input);
    }
}
