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

diesel::joinable!(chapters -> rounds (round_id));
diesel::joinable!(questions -> chapters (chapter_id));
diesel::joinable!(questions -> rounds (round_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    rounds,
    chapters,
    questions,
    platform_settings
);
