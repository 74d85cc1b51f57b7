// One schema for both backends: only portable column types are used (see the migrations).

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        platform_role -> Text,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        language -> Text,
        suspended_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        opens_at -> Nullable<Timestamp>,
        closes_at -> Timestamp,
        audience -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        open_notified_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        archived_at -> Nullable<Timestamp>,
        answers_kept -> Bool,
        attachments_area -> Bool,
        attachment_file_limit -> BigInt,
        attachment_response_limit -> BigInt,
    }
}

diesel::table! {
    chapters (id) {
        id -> BigInt,
        round_id -> BigInt,
        code -> Text,
        position -> Integer,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        round_id -> BigInt,
        chapter_id -> BigInt,
        code -> Text,
        position -> Integer,
        kind -> Text,
        prompt -> Text,
        help -> Text,
        required -> Bool,
        settings -> Text,
    }
}

diesel::table! {
    platform_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        key_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        mfa_pending -> Bool,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        second_factor -> Bool,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        second_factor -> Bool,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        state -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_user_id -> Nullable<BigInt>,
        action -> Text,
        target -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        acronym -> Nullable<Text>,
        kind -> Text,
        legal_id -> Text,
        website -> Nullable<Text>,
        contact_email -> Text,
        description -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organisation_invitations (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    round_invitations (round_id, organisation_id) {
        round_id -> BigInt,
        organisation_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    responses (id) {
        id -> BigInt,
        round_id -> BigInt,
        organisation_id -> BigInt,
        status -> Text,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<BigInt>,
        publication_consent -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        answered -> Integer,
        required_answered -> Integer,
    }
}

diesel::table! {
    answers (id) {
        id -> BigInt,
        response_id -> BigInt,
        question_id -> BigInt,
        value -> Nullable<Text>,
        version -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    answer_history (id) {
        id -> BigInt,
        answer_id -> BigInt,
        value -> Nullable<Text>,
        version -> Integer,
        changed_by -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    round_reminders (round_id, kind) {
        round_id -> BigInt,
        kind -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    kept_drafts (id) {
        id -> BigInt,
        key_hash -> Text,
        round_slug -> Text,
        organisation_id -> BigInt,
        chapter -> Text,
        fields -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    syntheses (id) {
        id -> BigInt,
        round_id -> BigInt,
        title -> Text,
        introduction -> Text,
        conclusion -> Text,
        proposals_order -> Text,
        licence -> Text,
        version -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    synthesis_sections (synthesis_id, chapter_id) {
        synthesis_id -> BigInt,
        chapter_id -> BigInt,
        body -> Text,
        version -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    synthesis_revisions (id) {
        id -> BigInt,
        synthesis_id -> BigInt,
        chapter_id -> Nullable<BigInt>,
        version -> Integer,
        body -> Text,
        changed_by -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    synthesis_publications (id) {
        id -> BigInt,
        synthesis_id -> BigInt,
        number -> Integer,
        changes -> Text,
        document -> Text,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
    }
}

diesel::table! {
    synthesis_relays (id) {
        id -> BigInt,
        synthesis_id -> BigInt,
        number -> Integer,
        title -> Text,
        response_id -> BigInt,
        mapping -> Text,
        relayed_by -> Nullable<BigInt>,
        relayed_at -> Timestamp,
    }
}

diesel::joinable!(responses -> rounds (round_id));
diesel::joinable!(responses -> organisations (organisation_id));
diesel::joinable!(answers -> responses (response_id));
diesel::joinable!(answers -> questions (question_id));
diesel::table! {
    themes (id) {
        id -> BigInt,
        round_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        name -> Text,
        description -> Text,
        colour -> Text,
        keywords -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        theme_id -> BigInt,
        answer_id -> BigInt,
        response_id -> BigInt,
        question_id -> BigInt,
        coder_id -> Nullable<BigInt>,
        passage_start -> Nullable<Integer>,
        passage_end -> Nullable<Integer>,
        passage -> Nullable<Text>,
        answer_version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    theme_dismissals (theme_id, answer_id) {
        theme_id -> BigInt,
        answer_id -> BigInt,
        dismissed_by -> Nullable<BigInt>,
        dismissed_at -> Timestamp,
    }
}

diesel::table! {
    redactions (id) {
        id -> BigInt,
        answer_id -> BigInt,
        passage_start -> Integer,
        passage_end -> Integer,
        passage -> Text,
        reason -> Text,
        answer_version -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    answer_fingerprints (answer_id) {
        answer_id -> BigInt,
        version -> Integer,
        signature -> Nullable<Text>,
    }
}

diesel::table! {
    campaigns (id) {
        id -> BigInt,
        round_id -> BigInt,
        name -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_answers (answer_id) {
        answer_id -> BigInt,
        campaign_id -> BigInt,
    }
}

diesel::table! {
    stored_files (sha256) {
        sha256 -> Text,
        size -> BigInt,
        media_type -> Text,
        extracted_text -> Nullable<Text>,
        touched_at -> Timestamp,
        text_state -> Text,
        text_claimed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        token -> Text,
        response_id -> BigInt,
        question_id -> Nullable<BigInt>,
        lineage -> Nullable<BigInt>,
        version -> Integer,
        title -> Text,
        description -> Text,
        file_name -> Text,
        media_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> Nullable<BigInt>,
        uploaded_at -> Timestamp,
        replaced_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(answer_history -> answers (answer_id));
diesel::joinable!(attachments -> responses (response_id));
diesel::joinable!(attachments -> stored_files (sha256));
diesel::joinable!(memberships -> organisations (organisation_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(organisation_invitations -> organisations (organisation_id));
diesel::joinable!(round_invitations -> rounds (round_id));
diesel::joinable!(round_invitations -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(audit_events -> users (actor_user_id));
diesel::joinable!(chapters -> rounds (round_id));
diesel::joinable!(questions -> chapters (chapter_id));
diesel::joinable!(questions -> rounds (round_id));
diesel::joinable!(themes -> rounds (round_id));
diesel::joinable!(tags -> themes (theme_id));
diesel::joinable!(tags -> answers (answer_id));
diesel::joinable!(theme_dismissals -> themes (theme_id));
diesel::joinable!(redactions -> answers (answer_id));
diesel::joinable!(answer_fingerprints -> answers (answer_id));
diesel::joinable!(campaigns -> rounds (round_id));
diesel::joinable!(campaign_answers -> campaigns (campaign_id));
diesel::joinable!(campaign_answers -> answers (answer_id));
diesel::joinable!(synthesis_publications -> syntheses (synthesis_id));
diesel::joinable!(synthesis_relays -> syntheses (synthesis_id));
diesel::joinable!(syntheses -> rounds (round_id));
diesel::joinable!(synthesis_relays -> responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    rounds,
    chapters,
    questions,
    platform_settings,
    sessions,
    email_tokens,
    api_tokens,
    recovery_codes,
    outbox,
    audit_events,
    organisations,
    memberships,
    organisation_invitations,
    round_invitations,
    responses,
    answers,
    answer_history,
    round_reminders,
    kept_drafts,
    themes,
    tags,
    theme_dismissals,
    redactions,
    answer_fingerprints,
    campaigns,
    campaign_answers,
    syntheses,
    synthesis_sections,
    synthesis_revisions,
    synthesis_publications,
    synthesis_relays,
    stored_files,
    attachments,
);
