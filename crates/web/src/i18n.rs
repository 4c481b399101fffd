//! The interface's two languages: Chinese (zh-CN, the default) and English. Words shown on pages
//! are looked up here by key; a key missing from the table shows itself, so a gap is visible in
//! review rather than silently blank.

/// The reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    /// The word for `key`, if the table has it.
    pub fn try_t(self, key: &str) -> Option<&'static str> {
        let i = WORDS.binary_search_by(|(k, _, _)| k.cmp(&key)).ok()?;
        Some(if self == Lang::Zh {
            WORDS[i].1
        } else {
            WORDS[i].2
        })
    }

    /// The word for `key`.
    pub fn t(self, key: &str) -> &'static str {
        match WORDS.binary_search_by(|(k, _, _)| k.cmp(&key)) {
            Ok(i) => match self {
                Lang::Zh => WORDS[i].1,
                Lang::En => WORDS[i].2,
            },
            Err(_) => {
                tracing::warn!(key, "missing translation");
                "⟦missing⟧"
            }
        }
    }
}

/// Sorted by key (a test checks), so lookups can bisect.
const WORDS: &[(&str, &str, &str)] = &[
    ("about_licence", "所涉许可证", "Licence concerned"),
    ("account_created", "已创建账户", "Account created"),
    ("account_kind", "账户类型", "Account type"),
    ("accountability", "追责依据", "Accountability basis"),
    ("accounts", "账户管理", "Accounts"),
    ("active", "有效", "Active"),
    ("admin", "管理", "Administration"),
    ("admin_catalogue", "事项目录维护", "Catalogue maintenance"),
    (
        "admin_intro",
        "在此维护本局的机构、权力清单、办事指南和收费项目。下放、取消、降费等一律作为带文号的历史变更登记，不覆盖原记录。",
        "Keep the bureau's orgs, power list, guides and fees here. A delegation, cancellation or fee change is recorded as a dated change with its decree, never as an overwrite.",
    ),
    ("all", "全部", "All"),
    ("api_tokens", "API 令牌", "API tokens"),
    (
        "api_tokens_intro",
        "供其他系统（如技术机构的实验室信息管理系统）调用 API。令牌代表所选账户，可做的事与该账户相同；令牌只在创建时显示一次，可随时吊销。",
        "For other systems (e.g. an institute's LIMS) calling the API. A token acts as the chosen account and may do what that account may; it is shown once, when created, and can be revoked at any time.",
    ),
    ("append_change", "登记变更", "Record a change"),
    ("applicant", "申请人", "Applicant"),
    (
        "applicant_address",
        "申请人住所（生产地址）",
        "Applicant's domicile (production address)",
    ),
    (
        "applicant_credit_code",
        "申请人统一社会信用代码",
        "Applicant's unified social credit code",
    ),
    (
        "applicant_known",
        "已登记企业：名称和住所取自登记信息。",
        "A registered enterprise: its name and domicile come from its record.",
    ),
    (
        "applicant_lookup",
        "查找已登记企业",
        "Look up a registered enterprise",
    ),
    ("applicant_name", "申请人名称", "Applicant's name"),
    (
        "applicant_unknown",
        "未找到该代码的登记企业：请填写申请人名称和住所。",
        "No registered enterprise has this code: fill in the applicant's name and domicile.",
    ),
    ("applicants", "申请对象", "Who may apply"),
    ("apply", "申请", "Apply"),
    (
        "apply_from_guide",
        "从办事指南申请",
        "Apply from a service guide",
    ),
    ("audit_log", "操作记录", "Audit log"),
    ("back", "返回", "Back"),
    (
        "belongs_to",
        "角色与机构 / 企业",
        "Role and org / enterprise",
    ),
    ("by_category", "按职权类别", "By category"),
    ("calendar", "工作日历", "Working-day calendar"),
    (
        "calendar_import",
        "导入年度放假安排",
        "Import a year's holiday schedule",
    ),
    (
        "calendar_import_help",
        "国务院办公厅发布次年放假安排后，按 date,kind,name 格式（kind 为 holiday 或 workday）导入该年度全部放假日和调休上班日；导入整体成功或整体不生效，并记入操作记录。",
        "When the State Council publishes next year's schedule, import every holiday and make-up working day of that year as date,kind,name (kind holiday or workday); the import is all or nothing and audited.",
    ),
    (
        "calendar_intro",
        "法定时限按工作日计算（《行政许可法》第八十二条）：周一至周五，除国务院公布的节假日，另加调休上班的周末。本日历收录的年份：",
        "Time limits are counted in working days (Administrative Licensing Law art. 82): Monday to Friday outside the official holidays, plus the weekend make-up working days. Years this calendar holds:",
    ),
    (
        "calendar_replace",
        "替换已导入的同一年度",
        "Replace the year if already imported",
    ),
    (
        "calendar_unknown_year",
        "本年度的放假安排尚未导入：此年份的日期仅按周末推算，属暂定，导入后将自动重算。",
        "This year's holiday schedule has not been imported: dates in it are counted on weekends alone, are provisional, and will be recomputed when it is imported.",
    ),
    (
        "cancellation_reason",
        "注销原因",
        "Why the licence is to be cancelled",
    ),
    ("cancelled_powers", "已取消职权", "Powers cancelled"),
    ("case", "办件", "Case"),
    (
        "case_moved_by_someone_else",
        "您提交之前，其他人已办理了此办件，您的操作未执行。",
        "Someone else moved this case before you sent yours; your move was not made. ",
    ),
    ("case_now", "现在：", "Now: "),
    ("case_number", "办件编号", "Case number"),
    (
        "catalogue_file_help",
        "导入为整体操作：文件中任何一处错误都会列出行列位置，且数据库不作任何改动。",
        "Import is all-or-nothing: every problem in the file is listed by row and column, and nothing is changed unless the whole file is valid.",
    ),
    ("category", "职权类别", "Category"),
    ("change_date", "日期", "Date"),
    ("change_decree", "文号", "Decree"),
    (
        "change_holder_name",
        "变更后的企业名称（不变则留空）",
        "New holder name (blank: unchanged)",
    ),
    ("change_kind", "变更类型", "Kind"),
    ("change_note", "说明", "Note"),
    ("change_org", "对方机构", "Other org"),
    (
        "change_production_address",
        "变更后的生产地址（不变则留空）",
        "New production address (blank: unchanged)",
    ),
    (
        "change_scope",
        "变更后的产品（每行一项，不变则留空）",
        "New products, one per line (blank: unchanged)",
    ),
    ("clock", "法定时限", "Legal clock"),
    ("clock_pause", "暂停原因", "Paused for"),
    ("clock_paused", "不计入的工作日", "Working days not counted"),
    ("clock_promised_due", "承诺办结日", "Promised due date"),
    ("clock_remaining", "剩余工作日", "Working days left"),
    ("clock_statutory_due", "法定办结日", "Statutory due date"),
    ("clock_step", "本环节期限", "This step's deadline"),
    ("clock_used", "已用工作日", "Working days used"),
    ("code", "编码", "Code"),
    ("complaint", "投诉渠道", "Complaints"),
    ("conditions", "受理条件", "Conditions"),
    (
        "conflict_reload",
        "已被他人修改，请刷新后重试。",
        "Someone else changed this first; reload and try again.",
    ),
    ("consultation", "咨询方式", "Consultation"),
    ("contact", "办理地点与联系方式", "Where and how to reach us"),
    ("contact_name", "联系人", "Contact person"),
    ("contact_phone", "联系电话", "Contact phone"),
    ("copies", "份数", "Copies"),
    ("counts_toward_limit", "计入时限", "Counts toward the limit"),
    ("create", "新建", "Create"),
    ("create_token", "创建令牌", "Create token"),
    ("created_at", "创建时间", "Created"),
    (
        "credit_code",
        "统一社会信用代码",
        "Unified Social Credit Code",
    ),
    (
        "credit_code_help",
        "18位，数字和大写字母，不含 I、O、S、V、Z",
        "18 characters: digits and capital letters, no I, O, S, V, Z",
    ),
    ("day_holiday", "法定节假日", "Holiday"),
    ("day_makeup", "调休上班", "Make-up working day"),
    (
        "day_provisional",
        "暂定（放假安排未公布）",
        "Provisional (schedule not yet published)",
    ),
    ("day_rest", "休息日", "Weekend"),
    ("day_work", "工作日", "Working day"),
    ("days", "个工作日", "working days"),
    (
        "delegated_down_powers",
        "下放县区职权",
        "Powers delegated down",
    ),
    (
        "demo_banner",
        "演示数据：本站内容为演示用途，机构、事项、文号、电话均为示例，不具法律效力。",
        "Demo data: the orgs, items, decrees and phone numbers on this site are examples for demonstration and have no legal effect.",
    ),
    ("display_name", "姓名", "Display name"),
    ("doc_case_number", "案件编号", "Case number"),
    (
        "doc_credit_code",
        "统一社会信用代码",
        "Unified social credit code",
    ),
    ("doc_holder", "申请人 / 持证单位", "Applicant / holder"),
    ("doc_issued_on", "出具日期", "Date of issue"),
    ("doc_issuing_bureau", "出具机关", "Issuing authority"),
    ("doc_kinds", "适用文书", "Used for"),
    ("doc_number", "文书编号", "Document number"),
    (
        "doc_restore_shipped",
        "恢复系统内置模板",
        "Restore the shipped template",
    ),
    ("doc_saved_at", "保存时间", "Saved at"),
    ("doc_saved_by", "保存人", "Saved by"),
    ("doc_shipped", "系统内置", "Shipped"),
    ("doc_signing_key", "签名密钥", "Signing key"),
    ("doc_template", "模板", "Template"),
    (
        "doc_template_help",
        "模板以 typst 语言编写，数据见 sys.inputs（说明见 crates/documents/README.md）。保存前系统用示例数据完整排版一次：有错误或警告的模板不会保存，并指出行号和原因；每次保存都保留为新版本，新出具的文书使用最新版本。",
        "Templates are written in typst; their data is in sys.inputs (see crates/documents/README.md). Before saving, the template is typeset with sample data: one with an error or a warning is not saved, and the line and reason are shown. Each save is kept as a new version; new documents use the newest.",
    ),
    (
        "doc_template_refused",
        "模板未保存，请修正以下问题：",
        "The template was not saved. Fix these problems:",
    ),
    (
        "doc_template_saved",
        "模板已保存为版本",
        "Template saved as version",
    ),
    ("doc_templates", "文书模板", "Document templates"),
    (
        "doc_templates_intro",
        "受理通知书、决定书、许可证等文书的版式。正本与副本共用一个模板。",
        "The layouts of vouchers, notices, decisions and licences. The licence original and copy share one template.",
    ),
    ("doc_type", "文书类型", "Document type"),
    ("doc_valid_until", "有效期至", "Valid until"),
    ("doc_versions", "已保存的版本", "Saved versions"),
    ("documents", "文书", "Documents"),
    ("download", "下载", "Download"),
    ("drafts", "草稿", "Drafts"),
    ("edit", "编辑", "Edit"),
    (
        "enterprise_address",
        "生产（注册）地址",
        "Production (registered) address",
    ),
    ("enterprise_name", "企业名称", "Enterprise name"),
    ("expected_days", "预计时长", "Expected time"),
    ("export", "导出", "Export"),
    ("extend", "延长审查期限", "Extend the time limit"),
    ("extend_days", "延长工作日", "Working days"),
    ("faq", "常见问题", "Frequently asked questions"),
    ("faq_field", "常见问题", "FAQ"),
    ("fee", "收费", "Fee"),
    ("fee_basis", "收费依据", "Fee basis"),
    ("fee_items", "收费项目", "Fee items"),
    ("fees", "收费标准", "Fees"),
    ("fees_cancelled", "取消收费项目", "Fees cancelled"),
    ("fees_reduced", "降低收费项目", "Fees reduced"),
    ("field", "字段", "Field"),
    ("file", "文件", "File"),
    ("filter", "筛选", "Filter"),
    ("form", "形式", "Form"),
    (
        "form_has_problems",
        "请更正以下问题后再提交：",
        "Please correct these problems and submit again:",
    ),
    ("green", "正常", "On time"),
    ("handling_kind", "办理项", "Handling type"),
    ("handling_level", "行使层级", "Handling level"),
    ("handling_org", "办理机构", "Handling org"),
    ("history", "历史沿革", "History"),
    ("home", "首页", "Home"),
    (
        "home_intro",
        "本局行使的每一项行政职权及其来源、依据和责任在此公开；每一个办事事项均有完整的办事指南，一窗受理、即办即签。",
        "Every power this bureau holds is published here with its source, legal basis and responsibilities; every service has a complete guide, and every application is taken at one window and handled the moment it is ready.",
    ),
    ("hours", "办公时间", "Office hours"),
    ("implementing_org", "实施机构", "Implementing org"),
    ("import", "导入", "Import"),
    ("import_done", "导入完成", "Import complete"),
    (
        "import_failed",
        "文件未导入，数据库未作任何改动。请修正以下问题后重新导入：",
        "The file was not imported and nothing was changed. Fix these problems and import again:",
    ),
    ("in_force_powers", "在用职权", "Powers in force"),
    ("initial_password", "初始密码", "Initial password"),
    ("item", "事项", "Item"),
    ("item_list", "办事指南", "Service guides"),
    ("kind_enterprise", "企业用户", "Enterprise users"),
    ("kind_staff", "工作人员", "Staff"),
    ("legal_basis", "设定依据", "Legal basis"),
    ("licence_actor", "记录人", "Recorded by"),
    (
        "licence_applications",
        "办理变更、延续或注销",
        "Apply for a change, renewal or cancellation",
    ),
    ("licence_certificate", "许可证书", "Certificate"),
    ("licence_certificate_copy", "副本（PDF）", "Copy (PDF)"),
    (
        "licence_certificate_none",
        "证书文件尚未生成。",
        "The certificate file has not been made yet.",
    ),
    (
        "licence_certificate_original",
        "正本（PDF）",
        "Original (PDF)",
    ),
    ("licence_change", "操作", "Change"),
    (
        "licence_change_help",
        "变更自今日起生效，理由将在许可证公示页公开显示。",
        "The change takes effect today; the reason is shown publicly on the register.",
    ),
    ("licence_change_status", "变更证书状态", "Change the status"),
    (
        "licence_credit_code",
        "统一社会信用代码",
        "Unified Social Credit Code",
    ),
    (
        "licence_electronic_id",
        "电子证照标识",
        "Electronic licence identifier",
    ),
    ("licence_event_cancelled", "注销", "Cancelled"),
    ("licence_event_changed", "变更", "Changed"),
    ("licence_event_reinstated", "恢复", "Reinstated"),
    ("licence_event_renewed", "延续", "Renewed"),
    ("licence_event_revoked", "撤销", "Revoked"),
    ("licence_event_suspended", "暂停", "Suspended"),
    (
        "licence_grant_decision",
        "准予行政许可决定书",
        "Grant decision",
    ),
    ("licence_history", "状态变更记录", "Status history"),
    ("licence_holder", "持证企业", "Holder"),
    ("licence_issued_on", "发证日期", "Issued on"),
    ("licence_issuing_org", "发证机关", "Issuing authority"),
    (
        "licence_no_history",
        "自发证以来无状态变更。",
        "No status change since the licence was issued.",
    ),
    ("licence_not_valid", "无效", "Not valid"),
    ("licence_number", "证书编号", "Licence number"),
    ("licence_on", "日期", "Date"),
    (
        "licence_production_address",
        "生产地址",
        "Production address",
    ),
    ("licence_reason", "理由", "Reason"),
    ("licence_register", "许可证公示", "Licence register"),
    (
        "licence_register_intro",
        "依《行政许可法》第四十条公开准予行政许可的决定。输入证书编号、企业名称、统一社会信用代码或产品，即可查询并核验证书当前是否有效。",
        "Grants are public (Administrative Licensing Law art. 40). Search by licence number, holder name, credit code or product, and check whether a licence is valid today.",
    ),
    ("licence_scope", "许可范围", "Scope"),
    (
        "licence_search_placeholder",
        "证书编号、企业名称、信用代码或产品",
        "Licence number, holder, credit code or product",
    ),
    (
        "licence_status_changed",
        "证书状态已变更。",
        "The licence's status was changed.",
    ),
    ("licence_submit_change", "提交变更", "Record the change"),
    ("licence_type", "证书类型", "Licence type"),
    ("licence_unit", "张证书", "licences"),
    ("licence_valid", "有效", "Valid"),
    ("licence_valid_until", "有效期至", "Valid until"),
    ("licence_verify", "核验许可证", "Verify a licence"),
    (
        "limits",
        "法定/承诺时限（工作日）",
        "Statutory / promised limit (working days)",
    ),
    (
        "list_field_help",
        "每行一项；一项中的各部分以 | 分隔。",
        "One entry per line; parts of an entry separated by |.",
    ),
    ("mark_all_read", "全部标为已读", "Mark all read"),
    ("mark_read", "标为已读", "Mark read"),
    ("materials", "申请材料", "Materials"),
    ("move_recorded", "已办理并记录。", "Done and recorded."),
    ("my_cases", "我的申请", "My applications"),
    ("name", "名称", "Name"),
    ("name_en", "英文名称", "Name (English)"),
    ("name_zh", "中文名称", "Name (Chinese)"),
    (
        "need_competent_org",
        "有权机关（如非本机关职权）",
        "Competent organ (if not this one)",
    ),
    ("need_deadline", "整改期限", "Rectify by"),
    (
        "need_inspectors",
        "核查人员（每行一人）",
        "Inspectors (one per line)",
    ),
    (
        "need_institute",
        "承担检验/鉴定的技术机构",
        "Institute for the testing or appraisal",
    ),
    (
        "need_items",
        "需补正的全部材料（每行一项）",
        "Everything to supplement (one per line)",
    ),
    (
        "need_lower_org",
        "承办的下级机关",
        "Lower org doing the work",
    ),
    ("need_materials", "补正材料", "Supplemented materials"),
    ("need_opinion", "审查意见", "Review opinion"),
    ("need_reason", "理由", "Reason"),
    (
        "need_reasons",
        "不予许可的理由（每行一条）",
        "Reasons for the denial (one per line)",
    ),
    ("need_result", "检验/鉴定结论", "Result"),
    ("need_rights", "救济途径告知", "Rights of the applicant"),
    ("new_fee", "新建收费项目", "New fee item"),
    ("new_item", "新建办事指南", "New guide"),
    ("new_power", "新建职权", "New power"),
    ("new_staff_account", "新建工作人员账户", "New staff account"),
    ("next_page", "下一页", "Next"),
    ("no", "否", "No"),
    (
        "no_account_yet",
        "企业还没有账户？",
        "Enterprise without an account?",
    ),
    ("no_results", "没有符合条件的事项。", "Nothing matches."),
    ("not_found", "未找到", "Not found"),
    ("notification", "通知内容", "Notification"),
    ("notification_email", "通知邮箱", "E-mail for notifications"),
    (
        "notification_email_hint",
        "通知同时发送到此邮箱（留空则不发送邮件）",
        "A copy of each notification goes to this address (leave empty for none)",
    ),
    (
        "notification_email_saved",
        "通知邮箱已保存。",
        "The e-mail address was saved.",
    ),
    ("notification_time", "时间", "Time"),
    ("notifications", "通知", "Notifications"),
    ("notifications_none", "暂无通知。", "No notifications."),
    ("omittable", "可免提交", "May be omitted"),
    ("org", "机构", "Org"),
    ("overdue", "已超期", "Overdue"),
    ("overview", "统计概况", "Overview"),
    (
        "overview_intro",
        "以下数字均由职权与收费项目的历史沿革实时计算，截至",
        "Each figure is computed from the histories of the powers and fees, as of",
    ),
    ("page", "页", "Page"),
    ("parent_code", "上级编码", "Parent code"),
    ("password", "密码", "Password"),
    ("password_again", "再次输入密码", "Password again"),
    ("paused", "暂停计时", "Paused"),
    ("phone", "咨询电话", "Phone"),
    ("place", "办理地点", "Place"),
    ("power", "职权", "Power"),
    ("power_code", "所属职权编码", "Power code"),
    ("power_list", "权力清单", "Power list"),
    ("powers_total", "职权总数", "Powers in total"),
    ("prev_page", "上一页", "Previous"),
    ("print", "打印", "Print"),
    ("procedure", "办理流程", "Procedure"),
    (
        "process_of_items",
        "各事项采用的流程",
        "The process each item follows",
    ),
    (
        "process_upload",
        "新增流程或新版本（TOML）",
        "Add a process or a new version (TOML)",
    ),
    ("processes", "办理流程", "Processes"),
    ("promised_limit", "承诺时限", "Promised limit"),
    (
        "promised_limit_days",
        "承诺时限（工作日）",
        "Promised limit (working days)",
    ),
    ("provisional", "暂定", "provisional"),
    ("publish", "发布", "Publish"),
    ("queue_all_steps", "本单位全部办件", "Every case of my org"),
    ("queue_include_closed", "含已办结", "Include closed"),
    ("read", "已读", "Read"),
    (
        "received_from_province",
        "承接上级下放职权",
        "Powers received from the province",
    ),
    ("record_saved", "已保存。", "Saved."),
    ("red", "红牌预警", "Red: last day"),
    ("register", "注册", "Register"),
    ("register_enterprise", "企业注册", "Register an enterprise"),
    (
        "register_intro",
        "使用统一社会信用代码注册企业账户。注册后即可在线申请、补正材料、查看办件进度和时限。",
        "Register your enterprise with its Unified Social Credit Code to apply online, supplement materials and follow your cases and their time limits.",
    ),
    (
        "registered_done",
        "注册成功。现在可以用该用户名登录。",
        "Registered. You can now sign in with this user name.",
    ),
    ("required", "必要", "Required"),
    ("responsibilities", "责任事项", "Responsibilities"),
    ("result", "办理结果", "Result"),
    ("retire", "停用", "Retire"),
    ("revoke", "吊销", "Revoke"),
    ("revoked", "已吊销", "Revoked"),
    ("role", "角色", "Role"),
    ("save", "保存", "Save"),
    ("saved", "已保存", "saved"),
    ("search", "搜索", "Search"),
    (
        "search_placeholder",
        "输入名称、编码或法律依据，如：电热毯",
        "Name, code or law, e.g. 电热毯",
    ),
    ("service_items", "办事事项", "Service items"),
    ("sign_in", "登录", "Sign in"),
    ("sign_in_title", "工作人员登录", "Staff sign-in"),
    ("sign_out", "退出", "Sign out"),
    (
        "site_name",
        "行政审批服务平台",
        "Licensing service platform",
    ),
    ("source", "来源", "Source"),
    ("special_steps", "特殊环节", "Special steps"),
    ("standard", "收费标准", "Standard"),
    ("status", "状态", "Status"),
    ("statutory_limit", "法定时限", "Statutory limit"),
    (
        "statutory_limit_days",
        "法定时限（工作日）",
        "Statutory limit (working days)",
    ),
    ("step", "当前环节", "Current step"),
    ("steps", "环节", "Steps"),
    ("stopped", "已停止", "Stopped"),
    ("sub_powers", "子项", "Sub-items"),
    ("submit_application", "提交申请", "Submit the application"),
    ("supervision", "监督渠道", "Supervision"),
    ("time_limits", "办理时限", "Time limits"),
    ("timeline", "办理过程", "Timeline"),
    ("token_created", "已创建令牌", "Token created"),
    ("token_label", "用途", "Label (what it is for)"),
    ("token_revoked", "已吊销令牌", "Token revoked"),
    (
        "token_shown_once",
        "请立即复制此令牌，它不会再次显示：",
        "Copy this token now; it will not be shown again:",
    ),
    ("total", "共", "Total"),
    ("unit_items", "项", "items"),
    ("unread", "未读", "Unread"),
    ("username", "用户名", "User name"),
    ("validity", "有效期", "Validity"),
    ("verify", "文书核验", "Verify a document"),
    (
        "verify_authentic",
        "真实有效：本文书由本局出具，内容未被改动",
        "Authentic: issued by this bureau and unchanged",
    ),
    ("verify_button", "核验", "Verify"),
    (
        "verify_choose_file",
        "请选择要核验的 PDF 文件",
        "choose the PDF file to verify",
    ),
    (
        "verify_intro",
        "上传本局出具的电子文书（PDF），或用手机扫描纸质文书上的二维码，即可核验真伪。核验所用的公钥在此公布：",
        "Upload an electronic document (PDF) issued by this bureau, or scan the QR code on a paper copy with a phone, to check that it is authentic. The public keys used are published here:",
    ),
    ("verify_keys", "公钥（JWKS）", "public keys (JWKS)"),
    ("verify_not_authentic", "不是真实文件", "Not authentic"),
    (
        "verify_offline",
        "离线核验（无需联网）：",
        "Offline verification (no network needed):",
    ),
    (
        "verify_paper_note",
        "二维码核验确认的是文书的类型、编号、持证单位和日期；请逐项核对纸面内容。",
        "A QR code check confirms the document's type, number, holder and dates; compare them with the paper.",
    ),
    (
        "verify_see_licence",
        "查看该许可证在公示系统中的当前状态",
        "See this licence's current status in the register",
    ),
    ("verify_upload", "核验 PDF 文件", "Check a PDF file"),
    (
        "verify_why_altered",
        "文件在出具后被改动过",
        "the file was changed after it was issued",
    ),
    (
        "verify_why_bad_signature",
        "签名不符，核验信息被改动过",
        "the signature does not match: the verification data was changed",
    ),
    (
        "verify_why_content_mismatch",
        "文书内容与签名内容不一致",
        "the document's content differs from what was signed",
    ),
    (
        "verify_why_damaged",
        "核验码已损坏或不完整",
        "the verification code is damaged or incomplete",
    ),
    (
        "verify_why_no_verification_data",
        "文件中没有核验信息，不是本系统出具的电子文书",
        "the file carries no verification data: it is not an electronic document issued by this system",
    ),
    (
        "verify_why_unknown_key",
        "签名密钥不属于本局",
        "it was signed with a key that is not this bureau's",
    ),
    (
        "verify_why_unknown_version",
        "无法识别的核验码版本",
        "the verification code has an unknown version",
    ),
    ("version", "版本", "Version"),
    ("visits_max", "最多跑动次数", "Visits needed at most"),
    ("waiting", "本环节已等待", "Waiting in step"),
    ("waiting_at", "等待：", "Waiting at: "),
    ("waiting_for", "等待", "waiting for"),
    ("window", "窗口受理", "Window registration"),
    ("workbench", "工作台", "Workbench"),
    ("year", "年度", "Year"),
    ("yellow", "黄牌预警", "Yellow: due soon"),
    ("yes", "是", "Yes"),
    ("your_moves", "您现在可以办理", "What you can do now"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_table_is_sorted_and_has_no_duplicates() {
        for pair in WORDS.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must come before {}",
                pair[1].0,
                pair[0].0
            );
        }
    }

    #[test]
    fn words_come_in_both_languages() {
        assert_eq!(Lang::Zh.t("power_list"), "权力清单");
        assert_eq!(Lang::En.t("power_list"), "Power list");
        assert_eq!(Lang::En.t("no_such_key"), "⟦missing⟧");
    }
}
