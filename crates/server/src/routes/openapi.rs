//! `GET /api/openapi.json`: the API as an OpenAPI 3 document, generated from the handlers' annotations
//! and the `api` crate's types, so it cannot drift from the code that answers.

use api::ErrorBody;
use axum::{routing::get, Json, Router};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme},
    Modify, OpenApi,
};

use super::{
    health, member, member_cosign, member_submissions, member_topics, staff, submissions, units,
    uploads,
};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "同心建言 API",
        description = "成员提交建言、凭回执查询进度；工作人员登录后导出。每个错误都是 ErrorBody：{\"message\": \"…\", \"fields\": {\"字段\": \"…\"}}。"
    ),
    paths(
        health::health,
        units::list_units,
        submissions::create_submission,
        submissions::get_submission,
        submissions::resubmit_submission,
        submissions::rate_reply,
        staff::session::log_in,
        staff::session::current_staff,
        staff::session::log_out,
        staff::downloads::export_submissions,
        staff::desk::list_submissions,
        staff::desk::get_submission,
        staff::desk::suggest_handlers,
        staff::desk_changes::apply_action,
        staff::desk_changes::apply_bulk_action,
        staff::desk_changes::add_note,
        staff::desk_changes::set_outcome,
        staff::desk_changes::set_flags,
        staff::desk_changes::add_adoption,
        staff::desk_changes::add_instruction,
        staff::list_export::export_csv,
        staff::list_export::export_xlsx,
        staff::audit::list_audit,
        staff::attachments::upload_attachment,
        staff::attachments::download_attachment,
        staff::units::list_staff_units,
        staff::units::add_unit,
        staff::units::rename_unit,
        staff::units::reorder_units,
        staff::units::retire_unit,
        staff::members::list_members,
        staff::members::get_member,
        staff::members::edit_member,
        staff::members::disable_member,
        staff::members::import_roster,
        staff::member_access::member_access,
        staff::member_access::invite_member,
        staff::member_access::invite_unit,
        staff::member_access::end_device,
        staff::member_access::settings,
        staff::member_access::set_settings,
        member::config,
        member::preview_join,
        member::join,
        member::me,
        member::log_out,
        member::device_link,
        member_submissions::my_submissions,
        member_submissions::my_submission,
        member_submissions::claim_submission,
        member_cosign::search_roster,
        member_cosign::create_draft,
        member_cosign::list_drafts,
        member_cosign::send_draft,
        member_cosign::list_requests,
        member_cosign::answer_request,
        uploads::limits,
        uploads::member_create,
        uploads::member_state,
        uploads::member_append,
        uploads::member_delete,
        uploads::staff_create,
        uploads::staff_state,
        uploads::staff_append,
        uploads::staff_delete,
        staff::topics::list_topics,
        staff::topics::create_topic,
        staff::topics::get_topic,
        staff::topics::edit_topic,
        staff::topics::publish_topic,
        staff::topics::close_topic,
        staff::topics::withdraw_topic,
        staff::topics::topic_versions,
        staff::topics::topic_board,
        staff::topics::staff_claim,
        staff::topics::staff_give_back,
        staff::topics::staff_mark_researching,
        staff::topics::list_proposals,
        staff::topics::decide_proposal,
        staff::topics::grade_result,
        member_topics::my_topics,
        member_topics::my_topic,
        member_topics::claim_topic,
        member_topics::give_back_topic,
        member_topics::mark_researching,
        member_topics::my_proposals,
        member_topics::propose,
        openapi_json,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Finish),
    tags(
        (name = "submissions", description = "提交与查询"),
        (name = "staff", description = "工作人员：登录后使用"),
        (name = "member", description = "成员：凭邀请链接加入设备后使用"),
        (name = "server", description = "运行状态与接口说明"),
        (name = "topics", description = "党委出题：课题、看板、代为认领、选题申报、成果评定（工作人员）"),
    )
)]
pub struct ApiDoc;

/// What the derive cannot say: the receipt's secret as a bearer scheme, the staff session as a cookie,
/// and no empty licence. Operations only an administrator may call list the role `admin` under
/// `staff_session` (OpenAPI 3.1 allows role names there); the tests read it.
struct Finish;

impl Modify for Finish {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // The crate names no licence; utoipa would otherwise write one with an empty name.
        openapi.info.license = None;
        // `Authorization: Bearer <secret>`, the secret printed on the receipt.
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "receipt_secret",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        // The HttpOnly cookie `POST /api/staff/session` sets.
        components.add_security_scheme(
            "staff_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                api::STAFF_SESSION_COOKIE,
                "登录后浏览器自动带上的会话 Cookie（HttpOnly，Path=/api/staff）；两小时未操作或登录满 12 小时即失效",
            ))),
        );
        // The HttpOnly cookie `POST /api/member/join` sets on a member's device.
        components.add_security_scheme(
            "member_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                api::MEMBER_SESSION_COOKIE,
                "成员设备凭邀请链接加入后浏览器自动带上的 Cookie（HttpOnly，Path=/api）；一年内使用即续期，成员退出、工作人员结束或停用成员后失效",
            ))),
        );
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "server",
    responses(
        (status = 200, description = "OpenAPI 3 文档", body = Object, content_type = "application/json"),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
    )
)]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
