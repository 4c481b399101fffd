//! Rendering every kind of document and reading it back with poppler.

use crate::support;

use onewindow_documents::{
    DataError, DocumentKind, LICENCE_IDENTIFIER, RIGHTS_TEXT, RenderError, Template, TemplateSet,
    date_cn, sample_data,
};
use support::*;

#[test]
fn every_kind_renders_to_a_pdf_that_states_all_its_data() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftotext", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    for kind in DocumentKind::ALL {
        let data = sample_data(kind);
        let doc = render(&renderer, &data);
        assert!(doc.pdf.starts_with(b"%PDF-"), "{kind}");
        let text = squeeze(&pdftotext(&doc.pdf));
        let dates = data.dates.values().map(|d| date_cn(*d));
        let expected: Vec<String> = [
            kind.title().to_owned(),
            data.number.clone(),
            data.bureau.clone(),
            data.holder.name.clone(),
            data.holder.credit_code.clone(),
            data.case_number.clone(),
            date_cn(data.issued_on),
            "第1页共1页".to_owned(),
        ]
        .into_iter()
        .chain(data.fields.values().cloned())
        .chain(data.items.iter().cloned())
        .chain(dates)
        .collect();
        for value in expected {
            let value = squeeze(&value);
            assert!(
                text.contains(&value),
                "{kind}: `{value}` missing from:\n{text}"
            );
        }
    }
}

#[test]
fn a_denial_states_its_reasons_and_the_rights_to_reconsideration_and_litigation() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftotext", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    let data = sample_data(DocumentKind::DenialDecision);
    let text = squeeze(&pdftotext(&render(&renderer, &data).pdf));
    assert!(
        text.contains("1.经实地核查，企业不具备与所申请产品相适应的检验设备"),
        "{text}"
    );
    assert!(text.contains("2.产品检验结论为不合格"), "{text}");
    assert!(
        text.contains("自收到本决定书之日起六十日内向辽宁省人民政府申请行政复议"),
        "{text}"
    );
    assert!(
        text.contains("六个月内依法向大连市中山区人民法院提起行政诉讼"),
        "{text}"
    );

    let mut custom = data.clone();
    custom.fields.insert(
        RIGHTS_TEXT.into(),
        "如不服本决定，可在六十日内向大连市人民政府申请行政复议。".into(),
    );
    let text = squeeze(&pdftotext(&render(&renderer, &custom).pdf));
    assert!(
        text.contains("六十日内向大连市人民政府申请行政复议"),
        "{text}"
    );
    assert!(!text.contains("提起行政诉讼"), "{text}");
}

#[test]
fn the_cjk_font_is_embedded_as_a_subset() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdffonts", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    let doc = render(&renderer, &sample_data(DocumentKind::LicenceOriginal));
    let table = run_on_pdf(&doc.pdf, "pdffonts", &[], &[]);
    let cjk: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("NotoSerifCJK"))
        .collect();
    assert!(!cjk.is_empty(), "no Noto Serif CJK font in:\n{table}");
    for line in cjk {
        let name = line.split_whitespace().next().unwrap();
        let (tag, _) = name.split_once('+').expect("a subset name has a tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{line}"
        );
        let columns: Vec<&str> = line.split_whitespace().collect();
        let n = columns.len();
        assert_eq!(
            &columns[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {line}"
        );
    }
}

#[test]
fn a_long_list_runs_over_pages_numbered_page_x_of_y() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftotext", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    let mut data = sample_data(DocumentKind::SupplementNotice);
    data.items = (1..=40)
        .map(|i| format!("第 {i} 项补正材料的名称和要求"))
        .collect();
    let doc = render(&renderer, &data);
    assert!(doc.pages >= 2, "{} pages", doc.pages);
    let text = squeeze(&pdftotext(&doc.pdf));
    let total = doc.pages;
    for page in 1..=total {
        assert!(text.contains(&format!("第{page}页共{total}页")), "{text}");
    }
    assert!(text.contains("40.第40项补正材料的名称和要求"), "{text}");
}

#[test]
fn the_electronic_licence_identifier_is_shown_only_when_configured() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftotext", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    let mut data = sample_data(DocumentKind::LicenceCopy);
    let with = squeeze(&pdftotext(&render(&renderer, &data).pdf));
    assert!(with.contains("电子证照标识1.2.156.3005.2."), "{with}");
    assert!(with.contains("副本") && with.contains("产品明细"), "{with}");
    data.fields.remove(LICENCE_IDENTIFIER);
    let without = squeeze(&pdftotext(&render(&renderer, &data).pdf));
    assert!(!without.contains("电子证照标识"), "{without}");
}

#[test]
fn a_reminder_issued_outside_a_case_prints_no_case_number_line() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftotext", "poppler-utils") {
        return;
    }
    let renderer = renderer(&fonts, signer(1));
    let mut data = sample_data(DocumentKind::RenewalReminder);
    assert!(squeeze(&pdftotext(&render(&renderer, &data).pdf)).contains("案件编号"));
    data.case_number.clear();
    let text = squeeze(&pdftotext(&render(&renderer, &data).pdf));
    assert!(!text.contains("案件编号"), "{text}");
    assert!(text.contains(&squeeze(&data.holder.name)), "{text}");
}

#[test]
fn rendering_the_same_data_twice_gives_the_same_bytes() {
    let Some(fonts) = fonts() else { return };
    let renderer = renderer(&fonts, signer(1));
    let data = sample_data(DocumentKind::GrantDecision);
    let (a, b) = (render(&renderer, &data), render(&renderer, &data));
    assert_eq!(a.pdf, b.pdf);
    assert_eq!(a.sha256, b.sha256);
}

#[test]
fn data_missing_what_its_kind_requires_yields_an_error_and_no_document() {
    let Some(fonts) = fonts() else { return };
    let renderer = renderer(&fonts, signer(1));
    let mut data = sample_data(DocumentKind::SupplementNotice);
    data.items.clear();
    assert!(matches!(
        renderer.render(&data),
        Err(RenderError::Data(DataError::NoItems { .. }))
    ));
}

#[test]
fn a_broken_template_is_refused_with_its_line_and_reason() {
    let Some(fonts) = fonts() else { return };
    let kind = DocumentKind::Acceptance;
    let source = "// edited\n#import \"common.typ\": *\n#show: official\n#addressee()\n#undefined-helper()\n#closing()\n";
    let problems = Template::check(kind, source, &fonts).unwrap_err();
    assert_eq!(problems[0].file, "acceptance.typ");
    assert_eq!(problems[0].line, 5, "{problems:?}");
    assert!(
        problems[0].message.contains("unknown variable"),
        "{problems:?}"
    );

    let unclosed = "#import \"common.typ\": *\n#show: official\n#let x = (1, 2\n#closing()\n";
    let problems = Template::check(kind, unclosed, &fonts).unwrap_err();
    assert!(problems.iter().all(|p| p.line >= 3), "{problems:?}");
    assert!(
        problems[0].to_string().starts_with("acceptance.typ:"),
        "{problems:?}"
    );

    let mut set = TemplateSet::builtin();
    assert!(set.replace(kind, source, &fonts).is_err());
    assert_eq!(
        set,
        TemplateSet::builtin(),
        "a refused template is not saved"
    );
}

#[test]
fn a_mistake_inside_a_helper_is_reported_at_the_template_line_that_called_it() {
    let Some(fonts) = fonts() else { return };
    let source =
        "#import \"common.typ\": *\n#show: official\n#addressee()\n#numbered(42)\n#closing()\n";
    let problems = Template::check(DocumentKind::Refusal, source, &fonts).unwrap_err();
    assert_eq!(
        (problems[0].file.as_str(), problems[0].line),
        ("refusal.typ", 4),
        "{problems:?}"
    );
    assert!(problems[0].message.contains("common.typ"), "{problems:?}");
}

#[test]
fn a_template_without_the_qr_code_or_the_holder_is_refused() {
    let Some(fonts) = fonts() else { return };
    let no_qr = "#import \"common.typ\": *\n#show: official\n#addressee()\n正文。\n";
    let problems = Template::check(DocumentKind::Acceptance, no_qr, &fonts).unwrap_err();
    assert!(problems[0].message.contains("QR"), "{problems:?}");
    let no_holder = "#import \"common.typ\": *\n#show: official\n正文。\n#closing()\n";
    let problems = Template::check(DocumentKind::Acceptance, no_holder, &fonts).unwrap_err();
    assert!(problems[0].message.contains("holder"), "{problems:?}");
}

#[test]
fn every_shipped_template_passes_the_check() {
    let Some(fonts) = fonts() else { return };
    for kind in DocumentKind::ALL {
        Template::check(kind, Template::builtin(kind), &fonts)
            .unwrap_or_else(|p| panic!("{kind}: {p:?}"));
    }
}

#[test]
fn a_template_that_passed_the_check_but_fails_on_real_data_yields_no_bytes() {
    let Some(fonts) = fonts() else { return };
    let kind = DocumentKind::Refusal;
    // Passes the check (the sample names a competent organ) but not every refusal does.
    let source = "#import \"common.typ\": *\n#show: official\n#addressee()\n请向#data.fields.at(\"competent_organ\")申请。\n#closing()\n";
    let mut set = TemplateSet::builtin();
    set.replace(kind, source, &fonts).unwrap();
    let renderer = onewindow_documents::Renderer::new(&fonts, &set, signer(1), BASE_URL);
    let mut data = sample_data(kind);
    data.fields.remove("competent_organ");
    match renderer.render(&data) {
        Err(RenderError::Template(problems)) => assert_eq!(problems[0].line, 4, "{problems:?}"),
        other => panic!("expected a template error, got {other:?}"),
    }
}
